package oss

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/grafana/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Folder is a Grafana dashboard folder (grafana:oss/folder:Folder).
type Folder struct {
	pulumi.CustomResourceState

	// The organization id (a string). Unset means the provider's org. Changing it replaces the folder.
	OrgId pulumi.StringPtrOutput `pulumi:"orgId"`
	// The uid of the parent folder (needs Grafana's nestedFolders feature).
	ParentFolderUid pulumi.StringPtrOutput `pulumi:"parentFolderUid"`
	// Refuse to delete the folder while it holds dashboards (Grafana >= 10.2).
	PreventDestroyIfNotEmpty pulumi.BoolPtrOutput `pulumi:"preventDestroyIfNotEmpty"`
	// The folder's title.
	Title pulumi.StringOutput `pulumi:"title"`
	// Unique identifier; generated if unset. Changing it replaces the folder.
	Uid pulumi.StringOutput `pulumi:"uid"`
	// The folder's full URL.
	Url pulumi.StringOutput `pulumi:"url"`
}

// NewFolder registers a new resource with the given unique name, arguments, and options.
func NewFolder(ctx *pulumi.Context,
	name string, args *FolderArgs, opts ...pulumi.ResourceOption) (*Folder, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.Title == nil {
		return nil, errors.New("invalid value for required argument 'Title'")
	}
	aliases := pulumi.Aliases([]pulumi.Alias{
		{
			Type: pulumi.String("grafana:index/folder:Folder"),
		},
	})
	opts = append(opts, aliases)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Folder
	err := ctx.RegisterResource("grafana:oss/folder:Folder", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type folderArgs struct {
	// The organization id (a string). Unset means the provider's org. Changing it replaces the folder.
	OrgId *string `pulumi:"orgId"`
	// The uid of the parent folder (needs Grafana's nestedFolders feature).
	ParentFolderUid *string `pulumi:"parentFolderUid"`
	// Refuse to delete the folder while it holds dashboards (Grafana >= 10.2).
	PreventDestroyIfNotEmpty *bool `pulumi:"preventDestroyIfNotEmpty"`
	// The folder's title.
	Title string `pulumi:"title"`
	// Unique identifier; generated if unset. Changing it replaces the folder.
	Uid *string `pulumi:"uid"`
}

// The set of arguments for constructing a Folder resource.
type FolderArgs struct {
	// The organization id (a string). Unset means the provider's org. Changing it replaces the folder.
	OrgId pulumi.StringPtrInput
	// The uid of the parent folder (needs Grafana's nestedFolders feature).
	ParentFolderUid pulumi.StringPtrInput
	// Refuse to delete the folder while it holds dashboards (Grafana >= 10.2).
	PreventDestroyIfNotEmpty pulumi.BoolPtrInput
	// The folder's title.
	Title pulumi.StringInput
	// Unique identifier; generated if unset. Changing it replaces the folder.
	Uid pulumi.StringPtrInput
}

func (FolderArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*folderArgs)(nil)).Elem()
}

type FolderInput interface {
	pulumi.Input

	ToFolderOutput() FolderOutput
	ToFolderOutputWithContext(ctx context.Context) FolderOutput
}

func (*Folder) ElementType() reflect.Type {
	return reflect.TypeOf((**Folder)(nil)).Elem()
}

func (i *Folder) ToFolderOutput() FolderOutput {
	return i.ToFolderOutputWithContext(context.Background())
}

func (i *Folder) ToFolderOutputWithContext(ctx context.Context) FolderOutput {
	return pulumi.ToOutputWithContext(ctx, i).(FolderOutput)
}

type FolderOutput struct{ *pulumi.OutputState }

func (FolderOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**Folder)(nil)).Elem()
}

func (o FolderOutput) ToFolderOutput() FolderOutput {
	return o
}

func (o FolderOutput) ToFolderOutputWithContext(ctx context.Context) FolderOutput {
	return o
}

// The organization id (a string). Unset means the provider's org. Changing it replaces the folder.
func (o FolderOutput) OrgId() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Folder) pulumi.StringPtrOutput { return v.OrgId }).(pulumi.StringPtrOutput)
}

// The uid of the parent folder (needs Grafana's nestedFolders feature).
func (o FolderOutput) ParentFolderUid() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Folder) pulumi.StringPtrOutput { return v.ParentFolderUid }).(pulumi.StringPtrOutput)
}

// Refuse to delete the folder while it holds dashboards (Grafana >= 10.2).
func (o FolderOutput) PreventDestroyIfNotEmpty() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v *Folder) pulumi.BoolPtrOutput { return v.PreventDestroyIfNotEmpty }).(pulumi.BoolPtrOutput)
}

// The folder's title.
func (o FolderOutput) Title() pulumi.StringOutput {
	return o.ApplyT(func(v *Folder) pulumi.StringOutput { return v.Title }).(pulumi.StringOutput)
}

// Unique identifier; generated if unset. Changing it replaces the folder.
func (o FolderOutput) Uid() pulumi.StringOutput {
	return o.ApplyT(func(v *Folder) pulumi.StringOutput { return v.Uid }).(pulumi.StringOutput)
}

// The folder's full URL.
func (o FolderOutput) Url() pulumi.StringOutput {
	return o.ApplyT(func(v *Folder) pulumi.StringOutput { return v.Url }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*FolderInput)(nil)).Elem(), &Folder{})
	pulumi.RegisterOutputType(FolderOutput{})
}
