package dev.drover.scheduler.pipeline;

/**
 * One thing wrong with a pipeline document or with the parameters supplied to a run.
 *
 * @param path    where: a JSON pointer into the document such as {@code /tasks/2/dependsOn/0}; {@code /} is the
 *                document itself
 * @param message what is wrong and how to fix it, written for the person who wrote the document
 */
public record SpecProblem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
