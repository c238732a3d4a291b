package io.consentvault.core.tcf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.iab.gpp.encoder.GppModel;
import com.iab.gpp.encoder.field.TcfEuV2Field;
import com.iab.gpp.encoder.field.UsNatField;
import com.iab.gpp.encoder.section.TcfEuV2;
import com.iab.gpp.encoder.section.UsNat;
import com.iabtcf.encoder.PublisherRestrictionEntry;
import com.iabtcf.encoder.TCStringEncoder;
import com.iabtcf.utils.BitSetIntIterable;
import com.iabtcf.v2.RestrictionType;

import io.consentvault.core.decision.ConsentRules.Decision;
import io.consentvault.core.tcf.ConsentStringDecoder.Decoded;
import io.consentvault.core.tcf.ConsentStringDecoder.InvalidConsentString;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCF and GPP strings made with the IAB's own encoders, decoded back into decisions. */
class ConsentStringDecoderTest {

    static final Instant CREATED = Instant.parse("2026-10-01T10:00:00Z");

    static TCStringEncoder.Builder tcf(int policyVersion) {
        return TCStringEncoder.newBuilder().version(2).created(CREATED).lastUpdated(CREATED).cmpId(300)
                .cmpVersion(2).consentScreen(1).consentLanguage("FR").vendorListVersion(150)
                .tcfPolicyVersion(policyVersion).isServiceSpecific(true).publisherCC("FR");
    }

    @Test
    void everyPurposeAndVendorAndLegitimateInterest() throws Exception {
        String s = tcf(4).addPurposesConsent(BitSetIntIterable.from(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))
                .addPurposesLITransparency(BitSetIntIterable.from(2, 7, 10))
                .addVendorConsent(BitSetIntIterable.from(1, 2, 755, 1000))
                .addVendorLegitimateInterest(BitSetIntIterable.from(2, 999)).addSpecialFeatureOptIns(1).encode();
        Decoded d = ConsentStringDecoder.decode("tcf", s);
        for (int p = 1; p <= 11; p++) {
            assertEquals(Boolean.TRUE, d.decisions().purposes().get(Integer.toString(p)).enabled(), "purpose " + p);
        }
        assertEquals(new Decision(true, true), d.decisions().purposes().get("7"));
        assertEquals(new Decision(true, false), d.decisions().purposes().get("1"));
        assertEquals(new Decision(true, false), d.decisions().vendors().get("755"));
        assertEquals(new Decision(false, true), d.decisions().vendors().get("999"));
        assertEquals(new Decision(false, false), d.decisions().vendors().get("3"));
        assertEquals(1000, d.decisions().vendors().size());
        assertEquals(300, d.content().get("cmp_id"));
        assertEquals(4, d.content().get("policy_version"));
        assertEquals("FR", d.content().get("consent_language"));
        assertEquals("FR", d.content().get("publisher_cc"));
        assertEquals(List.of(1), d.content().get("special_feature_optins"));
        assertEquals(List.of(1, 2, 755, 1000), d.content().get("vendor_consents"));
        assertEquals(CREATED.toString(), d.content().get("created"));
    }

    @Test
    void aRefusalIsAClearBit() throws Exception {
        Decoded d = ConsentStringDecoder.decode("tcf", tcf(5).addPurposesConsent(1).addVendorConsent(10).encode());
        assertEquals(Boolean.FALSE, d.decisions().purposes().get("2").enabled());
        assertEquals(Boolean.FALSE, d.decisions().vendors().get("9").enabled());
        assertEquals(5, d.content().get("policy_version"));
    }

    @Test
    void rangesAndBitFieldsDecodeAlike() throws Exception {
        // a long run encodes as a range, scattered ids as a bit field: the encoder picks the shorter
        BitSetIntIterable.Builder run = BitSetIntIterable.newBuilder();
        for (int v = 100; v <= 900; v++) {
            run.add(v);
        }
        Decoded range = ConsentStringDecoder.decode("tcf", tcf(4).addVendorConsent(run.build()).encode());
        Decoded bits = ConsentStringDecoder.decode("tcf", tcf(4).addVendorConsent(BitSetIntIterable.from(3, 5, 8))
                .encode());
        assertEquals(Boolean.TRUE, range.decisions().vendors().get("500").enabled());
        assertEquals(Boolean.FALSE, range.decisions().vendors().get("99").enabled());
        assertEquals(900, range.decisions().vendors().size());
        assertEquals(Boolean.TRUE, bits.decisions().vendors().get("5").enabled());
        assertEquals(Boolean.FALSE, bits.decisions().vendors().get("4").enabled());
    }

    @Test
    void publisherRestrictionsAreRead() throws Exception {
        String s = tcf(4).addVendorConsent(1).addPublisherRestrictionEntry(PublisherRestrictionEntry.newBuilder()
                .purposeId(2).restrictionType(RestrictionType.REQUIRE_CONSENT).addVendor(1).build()).encode();
        assertEquals(1, ConsentStringDecoder.decode("tcf", s).content().get("publisher_restrictions"));
    }

    @Test
    void gppWithOneSection() throws Exception {
        GppModel model = new GppModel();
        model.setFieldValue(UsNat.NAME, UsNatField.SALE_OPT_OUT, 1);
        model.setFieldValue(UsNat.NAME, UsNatField.SHARING_OPT_OUT, 2);
        model.setFieldValue(UsNat.NAME, UsNatField.TARGETED_ADVERTISING_OPT_OUT, 0);
        Decoded d = ConsentStringDecoder.decode("gpp", model.encode());
        assertEquals(new Decision(false, null), d.decisions().purposes().get("usnat:sale"));
        assertEquals(new Decision(true, null), d.decisions().purposes().get("usnat:sharing"));
        assertNull(d.decisions().purposes().get("usnat:targeted_advertising"));
        assertEquals(List.of("usnat"), d.content().get("sections"));
    }

    @Test
    void gppWithTwoSections() throws Exception {
        GppModel model = new GppModel();
        model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.CMP_ID, 42);
        model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.PURPOSE_CONSENTS,
                List.of(true, false, true, false, false, false, false, false, false, false, false, false, false,
                        false, false, false, false, false, false, false, false, false, false, false));
        model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.VENDOR_CONSENTS, List.of(755));
        model.setFieldValue(UsNat.NAME, UsNatField.SALE_OPT_OUT, 2);
        Decoded d = ConsentStringDecoder.decode("gpp", model.encode());
        assertEquals(Boolean.TRUE, d.decisions().purposes().get("1").enabled());
        assertEquals(Boolean.FALSE, d.decisions().purposes().get("2").enabled());
        assertEquals(Boolean.TRUE, d.decisions().vendors().get("755").enabled());
        assertEquals(Boolean.FALSE, d.decisions().vendors().get("754").enabled());
        assertEquals(new Decision(true, null), d.decisions().purposes().get("usnat:sale"));
        assertEquals(List.of("tcfeuv2", "usnat"), d.content().get("sections"));
    }

    @Test
    void gppVendorListsOfThousandsOfVendorsDecodeToExactlyTheirVendors() throws Exception {
        List<Integer> interests = List.of(2, 3, 1500, 2999, 4000);
        // scattered ids: the encoder writes a bit field of 4,998 bits
        List<Integer> everyThird = new ArrayList<>();
        for (int v = 3; v <= 4998; v += 3) {
            everyThird.add(v);
        }
        assertDecodesToExactly(everyThird, interests, false);
        // two long runs, 4,500 vendors: two range entries
        List<Integer> twoRuns = new ArrayList<>();
        for (int v = 1; v <= 5000; v++) {
            if (v <= 2000 || v > 2500) {
                twoRuns.add(v);
            }
        }
        assertDecodesToExactly(twoRuns, interests, true);
    }

    /** Every vendor up to the highest id named is decided, and only the ones listed are enabled. */
    private static void assertDecodesToExactly(List<Integer> consents, List<Integer> interests, boolean ranges)
            throws Exception {
        String gpp = gppTcfEuV2(consents, interests);
        assertEquals(ranges, vendorConsentsAreRanges(gpp), "the encoding this case is about");
        Decoded d = ConsentStringDecoder.decode("gpp", gpp);
        Set<Integer> consented = new HashSet<>(consents);
        Map<String, Decision> expected = new HashMap<>();
        for (int v = 1; v <= Math.max(consents.get(consents.size() - 1), interests.get(interests.size() - 1)); v++) {
            expected.put(Integer.toString(v), new Decision(consented.contains(v), interests.contains(v)));
        }
        assertEquals(expected, d.decisions().vendors());
        assertEquals(consents, d.content().get("tcfeuv2") instanceof Map<?, ?> m ? m.get("vendor_consents") : null);
    }

    @Test
    void gppVendorIdsAboveTheGlobalVendorListAreRefused() throws Exception {
        Decoded last = ConsentStringDecoder.decode("gpp", gppTcfEuV2(List.of(1, 5000), List.of()));
        assertEquals(5000, ConsentStringDecoder.MAX_VENDOR_ID);
        assertEquals(5000, last.decisions().vendors().size());
        assertEquals(new Decision(true, false), last.decisions().vendors().get("5000"));

        InvalidConsentString consent = assertThrows(InvalidConsentString.class,
                () -> ConsentStringDecoder.decode("gpp", gppTcfEuV2(List.of(1, 5001), List.of())));
        assertTrue(consent.getMessage().contains("names vendor 5001"), consent.getMessage());
        // the legitimate interests count as much as the consents, up to the format's own limit
        InvalidConsentString interest = assertThrows(InvalidConsentString.class,
                () -> ConsentStringDecoder.decode("gpp", gppTcfEuV2(List.of(755), List.of(65_535))));
        assertTrue(interest.getMessage().contains("names vendor 65535"), interest.getMessage());
    }

    /** A GPP string with one {@code tcfeuv2} section holding these vendor consents and legitimate interests. */
    static String gppTcfEuV2(List<Integer> consents, List<Integer> interests) throws Exception {
        GppModel model = new GppModel();
        model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.CMP_ID, 42);
        model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.VENDOR_CONSENTS, consents);
        model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.VENDOR_LEGITIMATE_INTERESTS, interests);
        return model.encode();
    }

    /**
     * Whether a GPP string's {@code tcfeuv2} vendor consents are range entries rather than a bit field: the
     * IsRangeEncoding bit that follows MaxVendorId (bit 229 of the core segment, base64url, 6 bits a character).
     */
    static boolean vendorConsentsAreRanges(String gpp) {
        String core = gpp.split("~")[1].split("\\.")[0];
        int bit = 229;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int sextet = alphabet.indexOf(core.charAt(bit / 6));
        return ((sextet >> (5 - bit % 6)) & 1) == 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a consent string", "CPXxRfAPXxRfAAfKABENB", "C!!!!!!!",
            "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA",
            "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA.", "..", "AAAAAAAA"})
    void malformedTcfStringsAreRefused(String value) {
        assertThrows(InvalidConsentString.class, () -> ConsentStringDecoder.decode("tcf", value));
    }

    @Test
    void onlyDisclosedAllowedAndPublisherSegmentsMayFollowTheCore() throws Exception {
        String s = tcf(4).addVendorConsent(BitSetIntIterable.from(1, 2, 755)).encode();
        // segment types are the first 3 bits: 'I' = 001000 (disclosed vendors), 'o' = 101000 (type 5)
        assertFalse(ConsentStringDecoder.decode("tcf", s + ".IAAA").decisions().vendors().isEmpty());
        InvalidConsentString refused = assertThrows(InvalidConsentString.class,
                () -> ConsentStringDecoder.decode("tcf", s + ".oAAA"));
        assertTrue(refused.getMessage().contains("unknown type 5"), refused.getMessage());
        assertThrows(InvalidConsentString.class, () -> ConsentStringDecoder.decode("tcf", s + ".AAAA"));
    }

    @Test
    void aTruncatedTcfStringIsRefused() throws Exception {
        String s = tcf(4).addVendorConsent(BitSetIntIterable.from(1, 2, 755)).encode();
        assertThrows(InvalidConsentString.class, () -> ConsentStringDecoder.decode("tcf", s.substring(0, 20)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "DBABMA", "DBACNYA~", "DBACNYA~~CPXxRfAPXxRfAAfKABENB", "~BVVqAAEABCA",
            "DBABMA~BVVqAAEABCA~BVVqAAEABCA", "DZZZ~CPXxRf", "not-gpp", "DBABMA~!!!!"})
    void malformedGppStringsAreRefused(String value) {
        assertThrows(InvalidConsentString.class, () -> ConsentStringDecoder.decode("gpp", value));
    }

    @Test
    void otherRegulationsDecideNothing() throws Exception {
        assertNull(ConsentStringDecoder.decode("gdpr", "anything"));
        assertFalse(ConsentStringDecoder.decode("tcf", tcf(4).encode()).decisions().purposes().isEmpty());
        assertTrue(ConsentStringDecoder.decode("tcf", tcf(4).encode()).decisions().vendors().isEmpty());
    }
}
