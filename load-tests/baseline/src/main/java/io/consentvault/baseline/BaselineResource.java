package io.consentvault.baseline;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.NonBlocking;

/**
 * The bare stack: parses the same event body and answers from a map, on the event loop, with no validation and no
 * database. Whatever the service does on top costs what separates it from this.
 */
@Path("/v1/consents")
public class BaselineResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, byte[]> USERS = new ConcurrentHashMap<>();

    @POST
    @Path("/events")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(byte[] body) throws IOException {
        JsonNode event = JSON.readTree(body);
        USERS.put(event.path("user").path("id").asText(""), body);
        return Response.status(201).entity("{\"id\":\"" + UUID.randomUUID() + "\"}").build();
    }

    @GET
    @Path("/users/{id}")
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public Response user(@PathParam("id") String id) {
        byte[] body = USERS.get(id);
        return body == null ? Response.status(404).build() : Response.ok(body).build();
    }
}
