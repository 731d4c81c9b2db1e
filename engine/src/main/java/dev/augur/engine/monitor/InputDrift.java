package dev.augur.engine.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.model.Model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * How far live inputs moved from a version's {@link Reference}, written once. Dense inputs: per input, the PSI of the live
 * values over the reference deciles and the mean's shift in reference standard deviations. Bag of words: the PSI of the
 * distribution of (document, term) pairs over the reference's top terms and "any other term", and the terms whose
 * share of documents moved most.
 */
public final class InputDrift {
    private InputDrift() {
    }

    /** The drift as JSON: {@code {"rows": n, "psi": max or the terms' PSI, "features": [...]}} or {@code "terms": [...]}. */
    public static String of(Reference ref, Model model, List<Object[]> liveRows) {
        if (liveRows.isEmpty()) {
            throw new AugurException(Errors.INVALID_PARAMETER, "input drift of model '" + model.name() + "' needs live rows of its"
                    + " inputs; the query returned none");
        }
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("rows", liveRows.size());
        if (!ref.terms().isEmpty() || ref.features().isEmpty()) {
            Reference.TermCounts live = Reference.TermCounts.of(liveRows, new HashSet<>(ref.terms()));
            int k = ref.terms().size();
            long[] refCounts = new long[k + 1];
            long[] liveCounts = new long[k + 1];
            long liveAll = live.documents().values().stream().mapToLong(Long::longValue).sum();
            long liveTop = 0;
            for (int i = 0; i < k; i++) {
                refCounts[i] = ref.termDocuments()[i];
                liveCounts[i] = live.documents().getOrDefault(ref.terms().get(i), 0L);
                liveTop += liveCounts[i];
            }
            refCounts[k] = ref.otherTermPairs();
            liveCounts[k] = liveAll - liveTop;
            Double psi = Psi.of(refCounts, liveCounts);
            out.put("psi", psi == null ? 0 : psi);
            record Moved(String term, double reference, double live) {
            }
            List<Moved> moved = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                moved.add(new Moved(ref.terms().get(i), (double) refCounts[i] / ref.rows(),
                        live.docs() == 0 ? 0 : (double) liveCounts[i] / live.docs()));
            }
            moved.sort(Comparator.comparingDouble((Moved m) -> -Math.abs(m.live() - m.reference())).thenComparing(Moved::term));
            ArrayNode terms = out.putArray("terms");
            for (Moved m : moved.subList(0, Math.min(10, moved.size()))) {
                ObjectNode t = terms.addObject();
                t.put("term", m.term());
                t.put("reference_share", m.reference());
                t.put("live_share", m.live());
            }
            return out.toString();
        }
        double max = 0;
        ArrayNode fs = out.putArray("features");
        for (int j = 0; j < ref.features().size(); j++) {
            Reference.Feature f = ref.features().get(j);
            double[] x = Reference.column(model, liveRows, j);
            Double psi = Psi.of(f.counts(), Reference.histogram(f.edges(), x));
            double mean = java.util.Arrays.stream(x).average().orElse(Double.NaN);
            ObjectNode o = fs.addObject();
            o.put("name", f.name());
            o.put("psi", psi == null ? 0 : psi);
            o.put("reference_mean", f.mean());
            o.put("live_mean", mean);
            o.put("shift_in_std", f.std() > 0 ? (mean - f.mean()) / f.std() : 0);
            max = Math.max(max, psi == null ? 0 : psi);
        }
        out.put("psi", max);
        return out.toString();
    }
}
