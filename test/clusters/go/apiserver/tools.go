//go:build tools

// Package tools pins the kube-apiserver command so that `go build` can build it
// from this module with the versions recorded in go.mod and go.sum.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
