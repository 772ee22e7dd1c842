/** Operator-wide settings and the beans they configure. */
package io.homelab.operator.config;
