package io.consentvault.platform.lifecycle;

/**
 * Fired once at start-up, on the main thread, when this process is the service: what the service prepares before it
 * is ready (keys, partitions, the schedule's catch-up, the demo tenant, the LISTEN connection) observes this instead
 * of {@code StartupEvent}, so that a one-shot command (see {@code platform/command}) does none of it. Observers keep
 * their {@code @Priority} order among themselves.
 */
public record ServiceStart() {
}
