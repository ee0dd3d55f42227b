// Package container implements the container fault family with the
// `docker_container` driver (Docker or Podman CLI on each node): start,
// terminate, restart, kill, pause/unpause and unplug/plug from a named
// container network. Post-conditions are read back with `<cli> inspect`;
// the container is named exactly (`--type container`), never by substring.
//
// It is not a container runtime client (no Docker API): it drives the CLI
// through the node executor, like an operator would over SSH.
package container
