package org.ternmq.ra;

import java.io.Serializable;
import java.util.Objects;

import javax.naming.Reference;

import jakarta.resource.Referenceable;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;

/**
 * What the adapter's administered queue and topic share ({@code adminobject} of ra.xml): a JavaBean whose
 * {@code name} the server sets from its configuration, bound in JNDI for applications and MDB
 * {@code destinationLookup}s. Two are equal when they are of the same kind and name the same destination.
 */
public abstract class RaDestination implements Serializable, Referenceable, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private String name;
    private transient ResourceAdapter adapter;
    private Reference reference;

    public String getName() {
        return name;
    }

    /** The destination's name on the broker. */
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.adapter = ra;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Objects.equals(((RaDestination) o).name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    /** The name alone, as the provider's own destinations print: applications compare the two (the platform TCK does). */
    @Override
    public String toString() {
        return name;
    }
}
