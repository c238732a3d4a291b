package io.consentvault.ingest.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.ingest.repository.StoredEvent;
import io.consentvault.state.ConsentRules;
import io.consentvault.tcf.ConsentStrings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stored event in the {@code events} layout of the batch export, with the proof fields ({@code ip},
 * {@code user_agent}, {@code source}, {@code received_at}) and the payload as it was received.
 */
@RegisterForReflection(ignoreNested = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventView(String id, String organizationId, Instant createdAt, Instant updatedAt, Instant receivedAt,
        User user, Consents consents, String country, String lastSeenCountry, Object metadata, Source source,
        String status, String proofsId, Object delegate, Object validation, Integer version, String regulation,
        String noticeId, String consentString, Map<String, Object> consentStringDecoded, String ip,
        String userAgent, @JsonRawValue String payload) {

    public record User(String id, String organizationUserId, String type, String region, Object metadata) {
    }

    public record Purpose(String id, Boolean enabled, Boolean enabledLi) {
    }

    public record Vendors(List<String> enabled, List<String> disabled, List<String> enabledLi,
            List<String> disabledLi) {
    }

    public record Consents(List<Purpose> purposes, Vendors vendors, String tcfcs, List<Object> channels) {
    }

    public record Source(String type, String sdkVersion, String url) {
    }

    /** The payload as JSON text: without the byte order mark some bodies were stored with before it was dropped. */
    private static String json(String payload) {
        return payload != null && payload.startsWith("\uFEFF") ? payload.substring(1) : payload;
    }

    public static EventView of(StoredEvent e, ObjectMapper mapper, ConsentStrings strings) {
        JsonNode items;
        try {
            items = mapper.readTree(e.items());
        } catch (Exception ex) {
            throw new IllegalStateException("stored items are not JSON", ex);
        }
        ConsentRules.Decisions decisions = ConsentRules.of(items);
        Map<String, Object> decoded = null;
        try {
            io.consentvault.tcf.ConsentStringDecoder.Decoded d = strings.decode(e.regulation(), e.consentString());
            if (d != null) {
                decisions = ConsentRules.overlay(d.decisions(), decisions);
                decoded = d.content();
            }
        } catch (io.consentvault.tcf.ConsentStringDecoder.InvalidConsentString ex) {
            // stored before strings were checked: shown as it is, deciding nothing
        }
        List<Purpose> purposes = new ArrayList<>();
        decisions.purposes().forEach((id, d) -> purposes.add(new Purpose(id, d.enabled(), d.enabledLi())));
        List<String> enabled = new ArrayList<>(), disabled = new ArrayList<>(), enabledLi = new ArrayList<>(),
                disabledLi = new ArrayList<>();
        for (Map.Entry<String, ConsentRules.Decision> v : decisions.vendors().entrySet()) {
            if (v.getValue().enabled() != null) {
                (v.getValue().enabled() ? enabled : disabled).add(v.getKey());
            }
            if (v.getValue().enabledLi() != null) {
                (v.getValue().enabledLi() ? enabledLi : disabledLi).add(v.getKey());
            }
        }
        String organizationUserId = "didomi".equals(e.userType()) ? null : e.userId();
        Source source = e.sourceType() == null && e.sdkVersion() == null && e.sourceUrl() == null
                ? null
                : new Source(e.sourceType(), e.sdkVersion(), e.sourceUrl());
        return new EventView(e.id(), e.organizationId(), e.createdAt() != null ? e.createdAt() : e.receivedAt(),
                e.updatedAt() != null ? e.updatedAt() : e.eventTime(), e.receivedAt(),
                new User(e.userId(), organizationUserId, e.userType(), e.region(), Map.of()),
                new Consents(purposes, new Vendors(enabled, disabled, enabledLi, disabledLi),
                        "tcf".equals(e.regulation()) ? e.consentString() : null, List.of()),
                e.country(), null, Map.of(), source, null, null, null, null, null, e.regulation(), e.noticeId(),
                e.consentString(), decoded, e.clientIp(), e.userAgent(), json(e.payload()));
    }
}
