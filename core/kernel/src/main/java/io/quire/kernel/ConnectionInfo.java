package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Where and how to reach a kernel: the content of a standard Jupyter connection file.
 *
 * @param transport       {@code tcp} (the only transport the client supports; {@code ipc} files can be read)
 * @param ip              the address the kernel binds, e.g. {@code 127.0.0.1}
 * @param shellPort       shell ROUTER port
 * @param iopubPort       IOPub PUB port
 * @param stdinPort       stdin ROUTER port
 * @param controlPort     control ROUTER port
 * @param hbPort          heartbeat REP port
 * @param key             HMAC key; empty means messages are not signed
 * @param signatureScheme {@code hmac-sha256}
 * @param kernelName      the kernel spec name, empty when unknown
 */
public record ConnectionInfo(String transport, String ip, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, String key, String signatureScheme, String kernelName) {

    /** Validates every component. */
    public ConnectionInfo {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signatureScheme, "signatureScheme");
        Objects.requireNonNull(kernelName, "kernelName");
        if (!transport.equals("tcp") && !transport.equals("ipc")) {
            throw new IllegalArgumentException("transport must be tcp or ipc but was '" + transport + "'");
        }
        if (ip.isBlank()) {
            throw new IllegalArgumentException("ip must not be blank");
        }
        checkPort("shell_port", shellPort);
        checkPort("iopub_port", iopubPort);
        checkPort("stdin_port", stdinPort);
        checkPort("control_port", controlPort);
        checkPort("hb_port", hbPort);
    }

    /**
     * Creates tcp connection info signed with HMAC-SHA256.
     *
     * @param ip    the address
     * @param ports shell, iopub, stdin, control, hb ports in this order
     * @param key   the key
     * @return the info, with an empty kernel name
     */
    public static ConnectionInfo tcp(String ip, int[] ports, String key) {
        if (ports.length != 5) {
            throw new IllegalArgumentException("need 5 ports (shell, iopub, stdin, control, hb) but got " + ports.length);
        }
        return new ConnectionInfo("tcp", ip, ports[0], ports[1], ports[2], ports[3], ports[4], key, "hmac-sha256", "");
    }

    /**
     * Parses the JSON of a connection file; {@code signature_scheme} defaults to {@code hmac-sha256},
     * {@code transport} to {@code tcp}, {@code kernel_name} to empty; unknown fields are ignored.
     *
     * @param json the document
     * @return the info
     * @throws ConnectionFileException when the JSON is invalid or a field is missing or out of range
     */
    public static ConnectionInfo parse(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ConnectionFileException("connection file is not valid JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ConnectionFileException("connection file must hold a JSON object");
        }
        try {
            return new ConnectionInfo(
                    object.path("transport").asText("tcp"),
                    required(object, "ip").asText(),
                    port(object, "shell_port"),
                    port(object, "iopub_port"),
                    port(object, "stdin_port"),
                    port(object, "control_port"),
                    port(object, "hb_port"),
                    object.path("key").asText(""),
                    object.path("signature_scheme").asText("hmac-sha256"),
                    object.path("kernel_name").asText(""));
        } catch (IllegalArgumentException e) {
            throw new ConnectionFileException("invalid connection file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a connection file.
     *
     * @param file the file
     * @return the info
     * @throws ConnectionFileException when the file cannot be read or is invalid
     */
    public static ConnectionInfo read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConnectionFileException("cannot read connection file " + file + ": " + e.getMessage(), e);
        } catch (ConnectionFileException e) {
            throw new ConnectionFileException(file + ": " + e.getMessage(), e);
        }
    }

    /** @return the connection file JSON document */
    public String toJson() {
        ObjectNode json = Json.object();
        json.put("transport", transport);
        json.put("ip", ip);
        json.put("shell_port", shellPort);
        json.put("iopub_port", iopubPort);
        json.put("stdin_port", stdinPort);
        json.put("control_port", controlPort);
        json.put("hb_port", hbPort);
        json.put("key", key);
        json.put("signature_scheme", signatureScheme);
        json.put("kernel_name", kernelName);
        return json.toPrettyString();
    }

    /**
     * Writes the connection file readable by the owner only ({@code 0600} where POSIX permissions exist).
     * The file is written to a sibling temporary file first and moved into place, so a kernel never sees
     * a half-written file; an existing file is replaced.
     *
     * @param file the target file
     * @throws ConnectionFileException when writing fails
     */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new ConnectionFileException("temporary file " + tmp + " appeared concurrently", e);
        } catch (IOException e) {
            throw new ConnectionFileException("cannot write connection file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param kernelName a kernel spec name
     * @return a copy with that kernel name
     */
    public ConnectionInfo withKernelName(String kernelName) {
        return new ConnectionInfo(transport, ip, shellPort, iopubPort, stdinPort, controlPort, hbPort, key,
                signatureScheme, kernelName);
    }

    /**
     * @param channel a channel
     * @return the ZeroMQ endpoint of that channel, e.g. {@code tcp://127.0.0.1:5555}
     */
    public String endpoint(Channel channel) {
        int port = switch (channel) {
            case SHELL -> shellPort;
            case IOPUB -> iopubPort;
            case STDIN -> stdinPort;
            case CONTROL -> controlPort;
            case HEARTBEAT -> hbPort;
        };
        String host = ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip;
        return transport + "://" + host + ":" + port;
    }

    /** Hides the key so connection info can be logged safely. */
    @Override
    public String toString() {
        return "ConnectionInfo[transport=" + transport + ", ip=" + ip + ", shell=" + shellPort + ", iopub=" + iopubPort
                + ", stdin=" + stdinPort + ", control=" + controlPort + ", hb=" + hbPort + ", key="
                + (key.isEmpty() ? "<none>" : "<hidden>") + ", signatureScheme=" + signatureScheme
                + ", kernelName=" + kernelName + "]";
    }

    private static JsonNode required(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static int port(ObjectNode json, String field) {
        JsonNode value = required(json, field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer port but was " + value);
        }
        return value.intValue();
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535 but was " + port);
        }
    }
}
