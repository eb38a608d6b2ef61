package io.lockdep4j.samples.nfs.rpc;

import static io.lockdep4j.samples.nfs.rpc.Nfs3.*;
import static io.lockdep4j.samples.nfs.rpc.XdrCodec.encoding;

import io.lockdep4j.samples.nfs.NfsExport;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcDispatchable;
import org.dcache.oncrpc4j.xdr.BadXdrOncRpcException;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.dcache.oncrpc4j.xdr.XdrVoid;

/** MOUNT program 100005 version 3: one export ({@code /export} by default). */
public final class Mount3Dispatcher implements RpcDispatchable {
    private final NfsExport export;
    public final LongAdder mounts = new LongAdder();

    public Mount3Dispatcher(NfsExport export) {
        this.export = export;
    }

    private boolean matches(String dirpath) {
        String want = stripSlash(export.exportPath());
        String got = stripSlash(dirpath);
        return got.equals(want);
    }

    private static String stripSlash(String s) {
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public void dispatchOncRpcCall(RpcCall call) throws OncRpcException, IOException {
        Xdr in = call.getXdr();
        try {
            switch (call.getProcedure()) {
                case MOUNTPROC3_NULL:
                case MOUNTPROC3_UMNTALL:
                    in.endDecoding();
                    call.reply(XdrVoid.XDR_VOID);
                    break;
                case MOUNTPROC3_MNT: {
                    String dirpath = in.xdrDecodeString();
                    in.endDecoding();
                    if (!matches(dirpath)) {
                        call.reply(encoding(x -> x.xdrEncodeInt(MNT3ERR_NOENT)));
                        break;
                    }
                    mounts.increment();
                    byte[] fh = export.rootHandle();
                    call.reply(encoding(x -> {
                        x.xdrEncodeInt(MNT3_OK);
                        x.xdrEncodeDynamicOpaque(fh);
                        x.xdrEncodeIntVector(new int[] {AUTH_SYS, AUTH_NONE});
                    }));
                    break;
                }
                case MOUNTPROC3_UMNT:
                    in.xdrDecodeString();
                    in.endDecoding();
                    call.reply(XdrVoid.XDR_VOID);
                    break;
                case MOUNTPROC3_DUMP:
                    in.endDecoding();
                    call.reply(encoding(x -> x.xdrEncodeBoolean(false)));
                    break;
                case MOUNTPROC3_EXPORT:
                    in.endDecoding();
                    call.reply(encoding(x -> {
                        x.xdrEncodeBoolean(true);
                        x.xdrEncodeString(export.exportPath());
                        x.xdrEncodeBoolean(false); // no groups: everyone
                        x.xdrEncodeBoolean(false);
                    }));
                    break;
                default:
                    call.failProcedureUnavailable();
            }
        } catch (BadXdrOncRpcException e) {
            call.failRpcGarbage();
        }
    }
}
