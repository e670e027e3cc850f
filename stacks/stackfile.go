package stacks

import "github.com/klearkarma/observability/internal/stackfile"

// StackFile is a Pulumi.<stack>.yaml read as the program would see it.
type StackFile struct {
	Stack  string
	Source MapSource
}

// ShippedStacks lists the stacks this repo ships a Pulumi.<stack>.yaml for.
func ShippedStacks(projectDir string) ([]string, error) { return stackfile.Shipped(projectDir) }

// ReadStackFile reads projectDir/Pulumi.<stack>.yaml. An unknown stack is an
// error that lists the shipped ones.
func ReadStackFile(projectDir, stack string) (*StackFile, error) {
	f, err := stackfile.Read(projectDir, stack)
	if err != nil {
		return nil, err
	}
	return &StackFile{Stack: stack, Source: MapSource{Values: f.Values, Secrets: f.Secrets}}, nil
}
