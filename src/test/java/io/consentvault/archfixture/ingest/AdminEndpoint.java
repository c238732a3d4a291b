package io.consentvault.archfixture.ingest;

import jakarta.ws.rs.Path;

/**
 * A REST class by its {@code @Path} only. An interface, so that the {@code @QuarkusTest} applications, which index the
 * test classes too, serve nothing for it: Quarkus REST serves an annotated interface only through an implementation.
 */
@Path("/archfixture/admin")
public interface AdminEndpoint {
}
