package org.ternmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.StreamMessage;

/** The typed readers of map and stream bodies, for table-driven tests. */
enum BodyGetter {
    BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, BYTES;

    Object read(StreamMessage message) throws JMSException {
        switch (this) {
            case BOOLEAN: return message.readBoolean();
            case BYTE: return message.readByte();
            case SHORT: return message.readShort();
            case CHAR: return message.readChar();
            case INT: return message.readInt();
            case LONG: return message.readLong();
            case FLOAT: return message.readFloat();
            case DOUBLE: return message.readDouble();
            case STRING: return message.readString();
            default:
                byte[] buffer = new byte[64];
                int count = message.readBytes(buffer);
                return count < 0 ? null : java.util.Arrays.copyOf(buffer, count);
        }
    }

    Object read(MapMessage message, String name) throws JMSException {
        switch (this) {
            case BOOLEAN: return message.getBoolean(name);
            case BYTE: return message.getByte(name);
            case SHORT: return message.getShort(name);
            case CHAR: return message.getChar(name);
            case INT: return message.getInt(name);
            case LONG: return message.getLong(name);
            case FLOAT: return message.getFloat(name);
            case DOUBLE: return message.getDouble(name);
            case STRING: return message.getString(name);
            default: return message.getBytes(name);
        }
    }

    /** Rows of the table of section 3.11.3: written value, then what each getter gives (value or exception). */
    static java.util.List<Object[]> table() {
        Class<?> mfe = jakarta.jms.MessageFormatException.class;
        Class<?> nfe = NumberFormatException.class;
        Class<?> npe = NullPointerException.class;
        byte[] bytes = {1, 2, 3};
        return java.util.List.of(
                new Object[] {true, true, mfe, mfe, mfe, mfe, mfe, mfe, mfe, "true", mfe},
                new Object[] {(byte) 5, mfe, (byte) 5, (short) 5, mfe, 5, 5L, mfe, mfe, "5", mfe},
                new Object[] {(short) 500, mfe, mfe, (short) 500, mfe, 500, 500L, mfe, mfe, "500", mfe},
                new Object[] {'x', mfe, mfe, mfe, 'x', mfe, mfe, mfe, mfe, "x", mfe},
                new Object[] {100_000, mfe, mfe, mfe, mfe, 100_000, 100_000L, mfe, mfe, "100000", mfe},
                new Object[] {-5L, mfe, mfe, mfe, mfe, mfe, -5L, mfe, mfe, "-5", mfe},
                new Object[] {0.5f, mfe, mfe, mfe, mfe, mfe, mfe, 0.5f, 0.5d, "0.5", mfe},
                new Object[] {0.25d, mfe, mfe, mfe, mfe, mfe, mfe, mfe, 0.25d, "0.25", mfe},
                new Object[] {"12", false, (byte) 12, (short) 12, mfe, 12, 12L, 12f, 12d, "12", mfe},
                new Object[] {"true", true, nfe, nfe, mfe, nfe, nfe, nfe, nfe, "true", mfe},
                new Object[] {bytes, mfe, mfe, mfe, mfe, mfe, mfe, mfe, mfe, mfe, bytes},
                new Object[] {null, false, nfe, nfe, npe, nfe, nfe, npe, npe, null, null});
    }
}
