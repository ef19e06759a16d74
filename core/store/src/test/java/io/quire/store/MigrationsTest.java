package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class MigrationsTest {
    @Parameter
    Backend backend;

    /** Skips the whole invocation of the class for a backend that is not available (CockroachDB without a URL). */
    @BeforeParameterizedClassInvocation
    static void requireBackend(Backend backend) {
        TestDatabases.requireAvailable(backend);
    }

    @Test
    void open_migratesAnEmptyDatabase_andReopeningAppliesNothing() {
        String url = TestDatabases.freshUrl(backend);
        OrgId org;
        try (Store first = Store.open(StoreConfig.builder(url).build())) {
            assertThat(first.migrationsApplied()).isEqualTo(6);
            assertThat(first.dialect().name()).isEqualTo(backend.name());
            org = first.organisations().create("acme", "Acme").id();
        }
        try (Store second = Store.open(StoreConfig.builder(url).build())) {
            assertThat(second.migrationsApplied()).isZero();
            assertThat(second.organisations().get(org).slug()).isEqualTo("acme");
        }
    }

    @Test
    void open_withADialectThatDoesNotFitTheUrl_isRefused() {
        DialectKind wrong = backend == Backend.H2 ? DialectKind.COCKROACHDB : DialectKind.H2;

        assertThatThrownBy(() -> Store.open(StoreConfig.builder(TestDatabases.freshUrl(backend)).dialect(wrong)
                .build())).isInstanceOf(IllegalArgumentException.class);
    }
}
