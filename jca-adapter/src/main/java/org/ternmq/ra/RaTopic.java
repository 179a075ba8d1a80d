package org.ternmq.ra;

import java.io.Serializable;
import java.util.Objects;

import javax.naming.Reference;

import jakarta.jms.Topic;
import jakarta.resource.Referenceable;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;

/**
 * The adapter's administered topic ({@code adminobject} of ra.xml): a JavaBean whose {@code name} the server
 * sets from its configuration, bound in JNDI for applications and MDB {@code destinationLookup}s.
 */
public class RaTopic implements Topic, Serializable, Referenceable, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private String name;
    private transient ResourceAdapter adapter;
    private Reference reference;

    public String getName() {
        return name;
    }

    /** The topic's name on the broker. */
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public String getTopicName() {
        return name;
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
        return o instanceof RaTopic t && Objects.equals(t.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return "topic " + name;
    }
}
