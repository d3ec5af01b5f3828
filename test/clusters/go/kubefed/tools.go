//go:build tools

// Package tools pins KubeFed's controller-manager so that `go build` can build it from this
// module with the versions recorded in go.mod and go.sum. json-iterator is pinned to v1.1.12:
// KubeFed's own v1.1.11 (with reflect2 v1.0.1) compiles but crashes on Go 1.18 and newer the
// first time a map is encoded.
package tools

import (
	_ "sigs.k8s.io/kubefed/cmd/controller-manager"
)
