package org.ternmq.jndi;

import java.util.Hashtable;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;

/**
 * A flat, read-only naming context over a fixed map of names to objects. Lookups of unknown names throw
 * {@link NameNotFoundException}; every change throws {@link OperationNotSupportedException}. Immutable
 * after construction and safe for any number of threads.
 */
final class ReadOnlyContext implements Context {

    private static final NameParser PARSER = CompositeName::new;

    private final Map<String, Object> bindings;
    private final Hashtable<Object, Object> environment;

    ReadOnlyContext(Map<String, Object> bindings, Hashtable<Object, Object> environment) {
        this.bindings = Map.copyOf(bindings);
        this.environment = environment;
    }

    @Override
    public Object lookup(String name) throws NamingException {
        if (name == null || name.isEmpty()) {
            return this;
        }
        Object value = bindings.get(name);
        if (value == null) {
            throw new NameNotFoundException(name + " is not bound (known: " + bindings.keySet() + ")");
        }
        return value;
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(name.toString());
    }

    @Override
    public Object lookupLink(String name) throws NamingException {
        return lookup(name);
    }

    @Override
    public Object lookupLink(Name name) throws NamingException {
        return lookup(name);
    }

    @Override
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        checkRoot(name);
        return new Listing<>(bindings.entrySet().iterator(),
                e -> new NameClassPair(e.getKey(), e.getValue().getClass().getName()));
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(name.toString());
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        checkRoot(name);
        return new Listing<>(bindings.entrySet().iterator(), e -> new Binding(e.getKey(), e.getValue()));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(name.toString());
    }

    private static void checkRoot(String name) throws NamingException {
        if (name != null && !name.isEmpty()) {
            throw new NameNotFoundException("no sub-context " + name + ": this context is flat");
        }
    }

    @Override
    public NameParser getNameParser(String name) {
        return PARSER;
    }

    @Override
    public NameParser getNameParser(Name name) {
        return PARSER;
    }

    @Override
    public String composeName(String name, String prefix) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        Name result = (Name) prefix.clone();
        return result.addAll(name);
    }

    @Override
    public Hashtable<?, ?> getEnvironment() {
        return new Hashtable<>(environment);
    }

    @Override
    public Object addToEnvironment(String propName, Object propVal) throws NamingException {
        throw readOnly();
    }

    @Override
    public Object removeFromEnvironment(String propName) throws NamingException {
        throw readOnly();
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    // ---- changes: refused ------------------------------------------------------------------------------

    private static OperationNotSupportedException readOnly() {
        return new OperationNotSupportedException("the Tern JNDI context is read-only; configure it through its environment");
    }

    @Override
    public void bind(Name name, Object obj) throws NamingException {
        throw readOnly();
    }

    @Override
    public void bind(String name, Object obj) throws NamingException {
        throw readOnly();
    }

    @Override
    public void rebind(Name name, Object obj) throws NamingException {
        throw readOnly();
    }

    @Override
    public void rebind(String name, Object obj) throws NamingException {
        throw readOnly();
    }

    @Override
    public void unbind(Name name) throws NamingException {
        throw readOnly();
    }

    @Override
    public void unbind(String name) throws NamingException {
        throw readOnly();
    }

    @Override
    public void rename(Name oldName, Name newName) throws NamingException {
        throw readOnly();
    }

    @Override
    public void rename(String oldName, String newName) throws NamingException {
        throw readOnly();
    }

    @Override
    public void destroySubcontext(Name name) throws NamingException {
        throw readOnly();
    }

    @Override
    public void destroySubcontext(String name) throws NamingException {
        throw readOnly();
    }

    @Override
    public Context createSubcontext(Name name) throws NamingException {
        throw readOnly();
    }

    @Override
    public Context createSubcontext(String name) throws NamingException {
        throw readOnly();
    }

    /** A naming enumeration over a snapshot. */
    private static final class Listing<T> implements NamingEnumeration<T> {
        private final Iterator<Map.Entry<String, Object>> entries;
        private final java.util.function.Function<Map.Entry<String, Object>, T> mapper;

        Listing(Iterator<Map.Entry<String, Object>> entries, java.util.function.Function<Map.Entry<String, Object>, T> mapper) {
            this.entries = entries;
            this.mapper = mapper;
        }

        @Override
        public T next() {
            return nextElement();
        }

        @Override
        public boolean hasMore() {
            return entries.hasNext();
        }

        @Override
        public void close() {
            // nothing held
        }

        @Override
        public boolean hasMoreElements() {
            return entries.hasNext();
        }

        @Override
        public T nextElement() {
            if (!entries.hasNext()) {
                throw new NoSuchElementException();
            }
            return mapper.apply(entries.next());
        }
    }
}
