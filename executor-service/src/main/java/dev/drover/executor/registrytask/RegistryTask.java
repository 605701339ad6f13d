package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.TaskInvocation;

import java.util.Map;

/**
 * What one registry task type does, split around its single registry call so that both halves are plain functions
 * the tests can call: {@link #prepare} turns the attempt's config (and, for profiling, its data) into the request,
 * {@link #outputs} turns the registry's answer into the task's outputs. {@link RegistryTaskRunner} does the rest.
 */
interface RegistryTask {

    /** The task type, as written in pipelines. */
    String type();

    /** The request this attempt makes; may read files, runs on a worker thread. */
    RegistryRequest prepare(TaskInvocation inv, LogSink logs) throws TaskFailure;

    /** The task's outputs from the registry's successful answer to {@code request}. */
    Map<String, Object> outputs(RegistryRequest request, JsonNode answer, LogSink logs) throws TaskFailure;
}
