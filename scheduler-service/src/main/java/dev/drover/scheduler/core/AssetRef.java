package dev.drover.scheduler.core;

/** One asset update, as an asset-triggered run refers to it: the asset's URI and the update's id. */
public record AssetRef(String uri, String updateId) {
}
