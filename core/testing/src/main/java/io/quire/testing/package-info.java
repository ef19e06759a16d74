package io.quire.testing;
