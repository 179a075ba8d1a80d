package org.ternmq.tck.ee;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/**
 * Registers the GlassFish container adapter and the archive processor the TCK's deployment methods ask for
 * ({@code @ArquillianResource TestArchiveProcessor}); listed in {@code META-INF/services}.
 */
public class TckEeExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, TckEeContainer.class);
        builder.service(ResourceProvider.class, TckEeArchiveProcessor.class);
        builder.observer(TckEeArchiveProcessor.class);
    }
}
