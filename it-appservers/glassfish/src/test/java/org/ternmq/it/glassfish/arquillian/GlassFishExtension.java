package org.ternmq.it.glassfish.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/** Registers {@link GlassFishManagedContainer} with Arquillian (listed in {@code META-INF/services}). */
public class GlassFishExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, GlassFishManagedContainer.class);
    }
}
