/**
 * Simulators of the systems that cannot run on a build machine, held to their official API
 * contracts. They power the sandbox, the tests and the kind workflow; the operator's drivers never
 * depend on them.
 */
package io.homelab.operator.sandbox;
