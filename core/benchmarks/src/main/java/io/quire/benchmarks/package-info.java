package io.quire.benchmarks;
