package io.consentvault.core.tcf;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.iab.gpp.encoder.GppModel;
import com.iab.gpp.encoder.section.TcfEuV2;
import com.iab.gpp.encoder.section.UsNat;
import com.iabtcf.decoder.TCString;
import com.iabtcf.utils.IntIterable;

import io.consentvault.core.decision.ConsentRules;
import io.consentvault.core.decision.ConsentRules.Decision;

/**
 * Turns a TCF v2 or GPP consent string into decisions, with the IAB Tech Lab's decoders, following API.md: TCF
 * purposes and vendors under their IAB numbers ({@code "1"} .. {@code "11"}, {@code "755"}), consent bits setting
 * {@code enabled} and legitimate-interest bits {@code enabled_li} (a clear bit is a refusal, for purposes 1 to 11 and
 * for vendors up to the string's highest vendor id); a GPP {@code tcfeuv2} section likewise; GPP {@code usnat}
 * opt-outs as {@code usnat:sale}, {@code usnat:sharing}, {@code usnat:targeted_advertising} (1 opted out = false,
 * 2 did not = true, 0 no decision). Also the decoded content, for the record view. The one place that knows these
 * formats. Stateless; {@link ConsentStrings} caches its answers.
 */
public final class ConsentStringDecoder {

    static final int PURPOSES = 11;
    /**
     * The highest vendor id a string may name. The IAB's Global Vendor List numbers its vendors from 1 and its
     * highest id is about 1,500 (2026); the format allows 65,535, and a string of a few bytes with MaxVendorId 65535
     * decodes to 65,535 refusals in every state it reaches. Strings beyond this are refused (400).
     */
    public static final int MAX_VENDOR_ID = 5_000;
    /** The four decisions a string can make on a vendor or purpose, shared rather than allocated per id. */
    private static final Decision[][] DECISIONS = {{new Decision(false, false), new Decision(false, true)},
            {new Decision(true, false), new Decision(true, true)}};
    /** Bit offset of MaxVendorId in a TCF v2 core segment (the fixed fields before it add up to 213 bits). */
    private static final int MAX_VENDOR_ID_OFFSET = 213;

    private ConsentStringDecoder() {
    }

    /** A string that is not a valid consent string of its regulation. */
    public static final class InvalidConsentString extends Exception {
        InvalidConsentString(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What a string decides, and its decoded content for the record view, read only when asked for (the state needs
     * the decisions alone).
     */
    public static final class Decoded {
        private final ConsentRules.Decisions decisions;
        private final java.util.function.Supplier<Map<String, Object>> reader;
        private volatile Map<String, Object> content;

        Decoded(ConsentRules.Decisions decisions, java.util.function.Supplier<Map<String, Object>> reader) {
            this.decisions = decisions;
            this.reader = reader;
        }

        public ConsentRules.Decisions decisions() {
            return decisions;
        }

        public Map<String, Object> content() {
            Map<String, Object> c = content;
            if (c == null) {
                c = java.util.Collections.unmodifiableMap(reader.get());
                content = c;
            }
            return c;
        }
    }

    /** Decodes {@code value} as the regulation says ({@code tcf} or {@code gpp}); null for other regulations. */
    public static Decoded decode(String regulation, String value) throws InvalidConsentString {
        if ("tcf".equals(regulation)) {
            return tcf(value);
        }
        if ("gpp".equals(regulation)) {
            return gpp(value);
        }
        return null;
    }

    static Decoded tcf(String value) throws InvalidConsentString {
        String[] segments = value.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                throw new InvalidConsentString("is not a valid TCF v2 consent string: empty segment");
            }
            int type = i == 0 ? 0 : segmentType(segments[i]);
            if (i > 0 && (type < 1 || type > 3)) {
                // after the core only disclosed vendors (1), allowed vendors (2) and publisher TC (3) may follow
                throw new InvalidConsentString(
                        "is not a valid TCF v2 consent string: segment " + (i + 1) + " has unknown type " + type);
            }
        }
        try {
            TCString tc = TCString.decode(value);
            if (tc.getVersion() != 2) {
                throw new InvalidConsentString("is a TCF v" + tc.getVersion() + " string; only TCF v2 is accepted");
            }
            Map<String, Decision> purposes = new LinkedHashMap<>();
            IntIterable consents = tc.getPurposesConsent();
            IntIterable interests = tc.getPurposesLITransparency();
            for (int p = 1; p <= Math.max(PURPOSES, max(consents, interests)); p++) {
                purposes.put(Integer.toString(p), decision(consents.contains(p), interests.contains(p)));
            }
            IntIterable vendorConsents = tc.getVendorConsent();
            IntIterable vendorInterests = tc.getVendorLegitimateInterest();
            int maxVendor = Math.max(maxVendorId(value), max(vendorConsents, vendorInterests));
            checkVendorIds(maxVendor);
            Map<String, Decision> vendors = new LinkedHashMap<>();
            for (int v = 1; v <= maxVendor; v++) {
                vendors.put(Integer.toString(v), decision(vendorConsents.contains(v), vendorInterests.contains(v)));
            }
            // every segment read once, so a string that is malformed anywhere is refused now, not at display
            tc.getPublisherRestrictions();
            tc.getAllowedVendors();
            tc.getDisclosedVendors();
            tc.getPubPurposesConsent();
            tc.getSpecialFeatureOptIns();
            tc.getCreated();
            tc.getLastUpdated();
            tc.getConsentLanguage();
            tc.getPublisherCC();
            return new Decoded(decisions(purposes, vendors),
                    () -> tcfContent(tc, consents, interests, vendorConsents, vendorInterests));
        } catch (InvalidConsentString e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidConsentString("is not a valid TCF v2 consent string");
        }
    }

    private static Map<String, Object> tcfContent(TCString tc, IntIterable consents, IntIterable interests,
            IntIterable vendorConsents, IntIterable vendorInterests) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("type", "tcf");
        content.put("version", tc.getVersion());
        content.put("cmp_id", tc.getCmpId());
        content.put("cmp_version", tc.getCmpVersion());
        content.put("policy_version", tc.getTcfPolicyVersion());
        content.put("vendor_list_version", tc.getVendorListVersion());
        content.put("consent_language", tc.getConsentLanguage());
        content.put("publisher_cc", tc.getPublisherCC());
        content.put("purpose_consents", list(consents));
        content.put("purpose_legitimate_interests", list(interests));
        content.put("special_feature_optins", list(tc.getSpecialFeatureOptIns()));
        content.put("vendor_consents", list(vendorConsents));
        content.put("vendor_legitimate_interests", list(vendorInterests));
        content.put("publisher_restrictions", tc.getPublisherRestrictions().size());
        content.put("created", tc.getCreated().toString());
        content.put("last_updated", tc.getLastUpdated().toString());
        return content;
    }

    static Decoded gpp(String value) throws InvalidConsentString {
        try {
            if (value.isEmpty() || value.startsWith("~") || value.endsWith("~") || value.contains("~~")) {
                throw new InvalidConsentString("is not a valid GPP string: empty segment");
            }
            GppModel model = new GppModel(value);
            List<Integer> sections = model.getSectionIds();
            if (sections == null || sections.size() != value.split("~", -1).length - 1) {
                throw new InvalidConsentString("is not a valid GPP string: the header lists "
                        + (sections == null ? 0 : sections.size()) + " sections but the string has "
                        + (value.split("~", -1).length - 1));
            }
            Map<String, Decision> purposes = new LinkedHashMap<>();
            Map<String, Decision> vendors = new LinkedHashMap<>();
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("type", "gpp");
            List<String> names = new ArrayList<>();
            for (int id : sections) {
                if (id == TcfEuV2.ID) {
                    names.add(TcfEuV2.NAME);
                    content.put(TcfEuV2.NAME, tcfEuV2(model.getTcfEuV2Section(), purposes, vendors));
                } else if (id == UsNat.ID) {
                    names.add(UsNat.NAME);
                    content.put(UsNat.NAME, usNat(model.getUsNatSection(), purposes));
                } else {
                    // decoding it proves it well formed; its content decides nothing here
                    model.encodeSection(id);
                    names.add(model.getSection(id).getName());
                }
            }
            content.put("sections", names);
            return new Decoded(decisions(purposes, vendors), () -> content);
        } catch (InvalidConsentString e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidConsentString("is not a valid GPP string");
        }
    }

    private static Map<String, Object> tcfEuV2(TcfEuV2 s, Map<String, Decision> purposes,
            Map<String, Decision> vendors) throws InvalidConsentString {
        List<Boolean> consents = s.getPurposeConsents();
        List<Boolean> interests = s.getPurposeLegitimateInterests();
        for (int i = 0; i < Math.max(PURPOSES, Math.max(trueCount(consents), trueCount(interests))); i++) {
            purposes.put(Integer.toString(i + 1), decision(bit(consents, i), bit(interests, i)));
        }
        List<Integer> vendorConsents = s.getVendorConsents();
        List<Integer> vendorInterests = s.getVendorLegitimateInterests();
        java.util.BitSet consented = bits(vendorConsents);
        java.util.BitSet interested = bits(vendorInterests);
        int max = Math.max(consented.length(), interested.length()) - 1;
        checkVendorIds(max);
        for (int v = 1; v <= max; v++) {
            vendors.put(Integer.toString(v), decision(consented.get(v), interested.get(v)));
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("cmp_id", s.getCmpId());
        content.put("cmp_version", s.getCmpVersion());
        content.put("policy_version", s.getPolicyVersion());
        content.put("consent_language", s.getConsentLanguage());
        content.put("publisher_cc", s.getPublisherCountryCode());
        content.put("purpose_consents", ids(consents));
        content.put("purpose_legitimate_interests", ids(interests));
        content.put("special_feature_optins", ids(s.getSpecialFeatureOptins()));
        content.put("vendor_consents", vendorConsents);
        content.put("vendor_legitimate_interests", vendorInterests);
        content.put("created", s.getCreated() == null ? null : s.getCreated().toInstant().toString());
        content.put("last_updated", s.getLastUpdated() == null ? null : s.getLastUpdated().toInstant().toString());
        return content;
    }

    private static Map<String, Object> usNat(UsNat s, Map<String, Decision> purposes) {
        Map<String, Object> content = new LinkedHashMap<>();
        optOut(purposes, content, "usnat:sale", "sale_opt_out", s.getSaleOptOut());
        optOut(purposes, content, "usnat:sharing", "sharing_opt_out", s.getSharingOptOut());
        optOut(purposes, content, "usnat:targeted_advertising", "targeted_advertising_opt_out",
                s.getTargetedAdvertisingOptOut());
        return content;
    }

    private static void optOut(Map<String, Decision> purposes, Map<String, Object> content, String purpose,
            String field, Integer value) {
        content.put(field, value);
        if (value != null && (value == 1 || value == 2)) {
            purposes.put(purpose, new Decision(value == 2, null));
        }
    }

    /** The SegmentType of a segment after the core: its first 3 bits; -1 when it does not start with base64url. */
    static int segmentType(String segment) {
        char c = segment.charAt(0);
        int sextet = c >= 'A' && c <= 'Z'
                ? c - 'A'
                : c >= 'a' && c <= 'z'
                        ? c - 'a' + 26
                        : c >= '0' && c <= '9'
                                ? c - '0' + 52
                                : c == '-' || c == '+' ? 62 : c == '_' || c == '/' ? 63 : -8;
        return sextet >> 3;
    }

    private static void checkVendorIds(int max) throws InvalidConsentString {
        if (max > MAX_VENDOR_ID) {
            throw new InvalidConsentString("names vendor " + max + "; vendor ids above " + MAX_VENDOR_ID
                    + " are not on the IAB's Global Vendor List");
        }
    }

    /** Vendor ids as a set (lists from a GPP section may hold tens of thousands; looking each up was quadratic). */
    private static java.util.BitSet bits(List<Integer> ids) {
        java.util.BitSet bits = new java.util.BitSet();
        for (Integer id : ids) {
            if (id != null && id > 0 && id <= 65_535) {
                bits.set(id);
            }
        }
        return bits;
    }

    private static Decision decision(boolean consent, boolean legitimateInterest) {
        return DECISIONS[consent ? 1 : 0][legitimateInterest ? 1 : 0];
    }

    /** Read-only, since one decoded string's decisions are shared by every event that carries it. */
    private static ConsentRules.Decisions decisions(Map<String, Decision> purposes, Map<String, Decision> vendors) {
        return new ConsentRules.Decisions(java.util.Collections.unmodifiableMap(purposes),
                java.util.Collections.unmodifiableMap(vendors));
    }

    /** MaxVendorId of the vendor consent section, read from the core segment's fixed layout. */
    static int maxVendorId(String value) {
        String core = value.split("\\.", -1)[0];
        byte[] bits = Base64.getUrlDecoder().decode(core.replace('+', '-').replace('/', '_').replace("=", ""));
        int result = 0;
        for (int i = 0; i < 16; i++) {
            int bit = MAX_VENDOR_ID_OFFSET + i;
            int b = bit / 8 < bits.length ? (bits[bit / 8] >> (7 - bit % 8)) & 1 : 0;
            result = (result << 1) | b;
        }
        return result;
    }

    private static int max(IntIterable a, IntIterable b) {
        int max = 0;
        for (int v : a) {
            max = Math.max(max, v);
        }
        for (int v : b) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static List<Integer> list(IntIterable values) {
        List<Integer> list = new ArrayList<>();
        values.forEach(list::add);
        return list;
    }

    private static boolean bit(List<Boolean> bits, int i) {
        return bits != null && i < bits.size() && Boolean.TRUE.equals(bits.get(i));
    }

    private static int trueCount(List<Boolean> bits) {
        int last = 0;
        for (int i = 0; bits != null && i < bits.size(); i++) {
            if (Boolean.TRUE.equals(bits.get(i))) {
                last = i + 1;
            }
        }
        return last;
    }

    private static List<Integer> ids(List<Boolean> bits) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; bits != null && i < bits.size(); i++) {
            if (Boolean.TRUE.equals(bits.get(i))) {
                ids.add(i + 1);
            }
        }
        return ids;
    }
}
