package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Go's flag package takes a back-quoted word of a usage text as the flag's
// value name, so `make cluster-up` once showed as "-kubeconfig make cluster-up".
func TestTheKubeconfigFlagShowsItsType(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-h"}, &stdout, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "  -kubeconfig string\n")
}
