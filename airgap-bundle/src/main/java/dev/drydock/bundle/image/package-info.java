/**
 * The server and sandbox images, built without a container engine: Jib on a base image given as an OCI
 * layout or a registry reference, written as OCI image layouts, each with a CycloneDX SBOM.
 */
package dev.drydock.bundle.image;
