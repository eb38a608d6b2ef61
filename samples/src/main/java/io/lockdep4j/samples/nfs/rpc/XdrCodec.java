package io.lockdep4j.samples.nfs.rpc;

import java.io.IOException;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** Small adapters so procedures can be written as lambdas over oncrpc4j's XDR streams. */
public final class XdrCodec {
    private XdrCodec() {}

    @FunctionalInterface
    public interface Encoder {
        void encode(XdrEncodingStream x) throws IOException;
    }

    @FunctionalInterface
    public interface Decoder {
        void decode(XdrDecodingStream x) throws IOException;
    }

    /** Arguments (client side) or results (server side): encoded by a lambda, never decoded. */
    public static XdrAble encoding(Encoder encoder) {
        return new XdrAble() {
            @Override
            public void xdrDecode(XdrDecodingStream x) {
                throw new UnsupportedOperationException("encode only");
            }

            @Override
            public void xdrEncode(XdrEncodingStream x) throws OncRpcException, IOException {
                encoder.encode(x);
            }
        };
    }

    /** Arguments (server side) or results (client side): decoded by a lambda, never encoded. */
    public static XdrAble decoding(Decoder decoder) {
        return new XdrAble() {
            @Override
            public void xdrDecode(XdrDecodingStream x) throws OncRpcException, IOException {
                decoder.decode(x);
            }

            @Override
            public void xdrEncode(XdrEncodingStream x) {
                throw new UnsupportedOperationException("decode only");
            }
        };
    }

    // ---- shared NFSv3 structures ----

    public static void encodeFh(XdrEncodingStream x, byte[] fh) {
        x.xdrEncodeDynamicOpaque(fh);
    }

    public static byte[] decodeFh(XdrDecodingStream x) throws IOException {
        byte[] fh = x.xdrDecodeDynamicOpaque();
        if (fh.length > Nfs3.FHSIZE3) {
            throw new NfsStatusException(Nfs3.NFS3ERR_BADHANDLE, "file handle longer than 64 bytes");
        }
        return fh;
    }

    /** post_op_attr */
    public static void encodePostOpAttr(XdrEncodingStream x, Fattr3 attr) {
        x.xdrEncodeBoolean(attr != null);
        if (attr != null) {
            attr.encode(x);
        }
    }

    public static Fattr3 decodePostOpAttr(XdrDecodingStream x) throws IOException {
        return x.xdrDecodeBoolean() ? Fattr3.decode(x) : null;
    }

    /** wcc_data with no pre-operation attributes (allowed by RFC 1813). */
    public static void encodeWcc(XdrEncodingStream x, Fattr3 after) {
        x.xdrEncodeBoolean(false); // pre_op_attr
        encodePostOpAttr(x, after);
    }

    public static void skipWcc(XdrDecodingStream x) throws IOException {
        if (x.xdrDecodeBoolean()) { // pre_op_attr: size, mtime, ctime
            x.xdrDecodeLong();
            x.xdrDecodeInt();
            x.xdrDecodeInt();
            x.xdrDecodeInt();
            x.xdrDecodeInt();
        }
        decodePostOpAttr(x);
    }

    /** post_op_fh3 */
    public static void encodePostOpFh(XdrEncodingStream x, byte[] fh) {
        x.xdrEncodeBoolean(fh != null);
        if (fh != null) {
            encodeFh(x, fh);
        }
    }

    public static byte[] decodePostOpFh(XdrDecodingStream x) throws IOException {
        return x.xdrDecodeBoolean() ? decodeFh(x) : null;
    }
}
