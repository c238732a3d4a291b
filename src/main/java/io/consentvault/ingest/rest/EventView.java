package io.consentvault.ingest.rest;

import java.io.IOException;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.consentvault.core.event.EventRules;
import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.layout.ExportLayout;
import io.consentvault.core.tcf.ConsentStrings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stored event as the read API shows it: the {@code events} object of the batch export with the proof fields,
 * written by {@link ExportLayout#event}.
 */
@RegisterForReflection(ignoreNested = false)
@JsonSerialize(using = EventView.Json.class)
@Schema(type = SchemaType.OBJECT, description = "The events object of the daily export (id, organization_id,"
        + " created_at, updated_at, user, consents, country, last_seen_country, metadata, source, status, proofs_id,"
        + " delegate, validation, version) with the proof of consent: received_at, regulation, notice_id,"
        + " consent_string, consent_string_decoded, ip, user_agent and the payload as received")
public record EventView(StoredEvent event, EventRules.Read read) {

    public static EventView of(StoredEvent e, ConsentStrings strings) {
        return new EventView(e, EventRules.decisions(e, strings));
    }

    /** Writes the view through the layout's one writer. */
    public static final class Json extends StdSerializer<EventView> {

        public Json() {
            super(EventView.class);
        }

        @Override
        public void serialize(EventView view, JsonGenerator g, SerializerProvider provider) throws IOException {
            ExportLayout.event(g, view.event(), view.read(), true);
        }
    }
}
