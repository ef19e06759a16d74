package io.quire.execution;
