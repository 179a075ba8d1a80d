package org.ternmq.jms.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Resolves classes with the thread's context class loader first (in an application server the application's
 * classes are only visible there), then as plain Java serialization does, then with the loader that loaded
 * Tern. One stream per deserialization, on the calling thread.
 */
final class ClassLoaderAwareObjectInputStream extends ObjectInputStream {

    ClassLoaderAwareObjectInputStream(InputStream in) throws IOException {
        super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            try {
                return Class.forName(desc.getName(), false, context);
            } catch (ClassNotFoundException notInContext) {
                // fall through to the other loaders
            }
        }
        try {
            return super.resolveClass(desc);
        } catch (ClassNotFoundException notInLatest) {
            return Class.forName(desc.getName(), false, ClassLoaderAwareObjectInputStream.class.getClassLoader());
        }
    }
}
