package io.quire.contents.fs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers shared by the filesystem backend tests. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String NOTEBOOK = """
            {
             "cells": [
              {
               "cell_type": "code",
               "execution_count": 1,
               "id": "a1",
               "metadata": {"custom": true},
               "outputs": [],
               "source": ["print(1)"]
              }
             ],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "x-unknown": 7},
             "nbformat": 4,
             "nbformat_minor": 5
            }
            """;

    private Fixtures() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
