//go:build deps

// Package deps keeps upstream packages that work in progress imports in
// go.mod and go.sum while it lands; removed once real code imports them.
package deps

import (
	_ "github.com/elastic/go-elasticsearch/v8/typedapi/types"
)
