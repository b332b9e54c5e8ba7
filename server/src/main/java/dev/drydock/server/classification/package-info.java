/** Data classification, one scale for the whole product: workspaces, repositories, paths, model requests and endpoint clearances. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.classification;
