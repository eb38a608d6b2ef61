package io.lockdep4j.samples.nfs.rpc;

import java.io.IOException;

/** A failed NFSv3 procedure: carries the nfsstat3 to put on the wire. */
public class NfsStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public NfsStatusException(int status, String message) {
        super(message + " (nfsstat3 " + status + ")");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
