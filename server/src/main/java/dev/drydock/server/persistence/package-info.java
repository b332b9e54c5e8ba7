/**
 * How the server reads the rows of its native queries (through the EntityManager): the one place
 * that turns column values into Java values. A leaf: it depends on no feature package.
 */
@NullMarked
package dev.drydock.server.persistence;

import org.jspecify.annotations.NullMarked;
