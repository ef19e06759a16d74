package io.quire.desktop.kernel;

import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** The kernel's status in the notebook toolbar: a dot and a word (idle, busy, ...) with the spec or reason. */
public final class KernelToolbar extends HBox {
    /**
     * A status display bound to a kernel.
     *
     * @param kernel the kernel view model
     */
    public KernelToolbar(KernelViewModel kernel) {
        super(6);
        Label dot = new Label("\u25cf");
        Label status = new Label();
        status.setId("kernel-status");
        Label detail = new Label();
        detail.getStyleClass().add("kernel-detail");
        getStyleClass().add("kernel-status");
        getChildren().addAll(dot, status, detail);
        kernel.statusProperty().addListener((observable, before, after) -> show(dot, status, after));
        detail.textProperty().bind(kernel.detailProperty());
        show(dot, status, kernel.statusProperty().get());
    }

    private static void show(Label dot, Label status, KernelStatus value) {
        String name = value.name().toLowerCase(Locale.ROOT);
        status.setText(value == KernelStatus.NONE ? "no kernel" : name);
        dot.getStyleClass().removeIf(style -> style.startsWith("kernel-"));
        dot.getStyleClass().add("kernel-" + name);
    }
}
