package io.consentvault.platform.lifecycle;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.consentvault.platform.command.CommandMode;
import io.quarkus.runtime.StartupEvent;

/** Turns Quarkus's start into the service's {@link ServiceStart}, unless the process runs a one-shot command. */
@ApplicationScoped
public class ServiceStartup {

    private final Optional<String> command;
    private final Event<ServiceStart> serviceStart;

    public ServiceStartup(@ConfigProperty(name = CommandMode.PROPERTY) Optional<String> command,
            Event<ServiceStart> serviceStart) {
        this.command = command;
        this.serviceStart = serviceStart;
    }

    // the earliest slot the service's start-up work had (the demo tenant's), so their order is what it was
    void onStart(@Observes @Priority(2000) StartupEvent event) {
        if (command.isEmpty()) {
            serviceStart.fire(new ServiceStart());
        }
    }
}
