package dev.drover.scheduler.pipeline;

import java.util.List;

/**
 * The outcome of {@link PipelineSpecParser#parse(String)}: a valid spec with its hash, or everything that is wrong.
 */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Invalid {

    /** True when the document was valid. */
    boolean ok();

    /** Every problem found, in document order as far as possible; empty when {@link #ok()}. */
    List<SpecProblem> problems();

    /** The parsed spec; only for a valid document, so check {@link #ok()} first. */
    PipelineSpec spec();

    /** The spec's {@link PipelineSpecs#hash(PipelineSpec) hash}; only for a valid document. */
    String hash();

    /**
     * A valid document.
     *
     * @param spec the pipeline with every default applied
     * @param hash {@link PipelineSpecs#hash(PipelineSpec)} of {@code spec}: equal for documents that mean the same
     */
    record Parsed(PipelineSpec spec, String hash) implements ParseResult {
        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public List<SpecProblem> problems() {
            return List.of();
        }
    }

    /**
     * An invalid document.
     *
     * @param problems at least one problem
     */
    record Invalid(List<SpecProblem> problems) implements ParseResult {
        public Invalid {
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid document has at least one problem");
            }
            problems = List.copyOf(problems);
        }

        @Override
        public boolean ok() {
            return false;
        }

        /** There is no spec: check {@link #ok()} first. */
        @Override
        public PipelineSpec spec() {
            throw new IllegalStateException("the document is invalid: " + problems);
        }

        /** There is no hash: check {@link #ok()} first. */
        @Override
        public String hash() {
            throw new IllegalStateException("the document is invalid: " + problems);
        }
    }
}
