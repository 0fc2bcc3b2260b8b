// Command pulumi-stripe-portal-sdkgen writes the TypeScript and Go SDKs of the stripe-portal
// package from its schema with Pulumi's own generators (pkg/v3/codegen at the engine's pin),
// offline, without `pulumi package gen-sdk` (which needs language hosts this machine cannot
// build). Built and linked by build.sh in this folder.
//
//	pulumi-stripe-portal-sdkgen --schema provider/pulumi_stripe_portal/plugin/schema.json \
//	    --nodejs provider/sdk/nodejs --go provider/sdk/go [--check]
//
// Without --check it replaces every generated file in the out folders (files no longer
// generated are removed; nodejs/node_modules and nodejs/bin, the ignored build folders, are
// left alone) and writes the new set sorted, mode 0644, with no timestamps. With --check it
// writes nothing and exits 1, naming each stale, missing or extra file, when the folders
// differ from what it would write.
//
// The Go SDK is a module of its own: go.mod (module = importBasePath minus its last element,
// requiring github.com/pulumi/pulumi/sdk/v3 at the pin) and go.sum come from `go mod tidy`
// run on the generated sources in a temporary folder (GOFLAGS=-mod=mod, GOTOOLCHAIN=local;
// GOPROXY as in the environment: with a warm module cache GOPROXY=off works).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const (
	tool = "pulumi-stripe-portal-sdkgen"
	// The Go SDK's one direct requirement: github.com/pulumi/pulumi/sdk/v3 at the version
	// this tool was built with (go.mod.in's pin, read from the build info).
	pulumiSDKModule = "github.com/pulumi/pulumi/sdk/v3"
	goDirective     = "1.26"
)

func pulumiSDKVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == pulumiSDKModule {
				return dep.Version
			}
		}
	}
	die("no %s in this binary's build info: build it with build.sh", pulumiSDKModule)
	return ""
}

// Build folders inside an out folder that belong to someone else (git-ignored by the
// generated .gitignore): never removed, never compared.
var keep = map[string]bool{"node_modules": true, "bin": true}

// noLoader knows no package: the stripe-portal schema references none. BindSpec needs a
// non-nil loader; asking this one for anything is an error, not a panic.
type noLoader struct{}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("%s: the schema references package %q; this generator loads no other package", tool, pkg)
}

func (l noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noLoader) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(pkg, v)
	return nil, err
}

func (l noLoader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	_, err := l.LoadPackage(d.Name, d.Version)
	return nil, err
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, tool+": "+format+"\n", args...)
	os.Exit(2)
}

// bind parses and binds the schema afresh: each generator mutates the package it is given.
func bind(raw []byte) *schema.Package {
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		die("parse schema: %v", err)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		die("bind schema: %v", err)
	}
	if diags.HasErrors() {
		die("bind schema: %v", diags)
	}
	return pkg
}

func generateNodejs(raw []byte) map[string][]byte {
	files, err := nodejs.GeneratePackage(tool, bind(raw), nil, nil, false, noLoader{})
	if err != nil {
		die("generate nodejs: %v", err)
	}
	return files
}

func generateGo(raw []byte) map[string][]byte {
	pkg := bind(raw)
	files, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		die("generate go: %v", err)
	}
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	if info.ImportBasePath == "" {
		die("the schema's language.go.importBasePath is empty")
	}
	module := path.Dir(info.ImportBasePath)
	// The generator keys files by the import path below the module (e.g. stripeportal/...).
	root := path.Base(info.ImportBasePath)
	for name := range files {
		if name != ".gitattributes" && name != "go.mod" && !strings.HasPrefix(name, root+"/") {
			die("generate go: file %s is outside %s/: importBasePath and the generator disagree", name, root)
		}
	}
	gomod, gosum := tidy(files, module)
	files["go.mod"] = gomod
	if len(gosum) > 0 {
		files["go.sum"] = gosum
	}
	return files
}

// tidy writes the generated Go sources into a temporary module and lets `go mod tidy` fill
// in go.mod's indirect requirements and go.sum. Its output depends only on the sources and
// the pinned requirement, so it is as deterministic as the generators.
func tidy(files map[string][]byte, module string) ([]byte, []byte) {
	dir, err := os.MkdirTemp("", "sdkgen-go-")
	if err != nil {
		die("temp dir: %v", err)
	}
	defer os.RemoveAll(dir)
	if err := writeTree(dir, files); err != nil {
		die("write temp module: %v", err)
	}
	gomod := fmt.Sprintf("module %s\n\ngo %s\n\nrequire %s %s\n", module, goDirective, pulumiSDKModule, pulumiSDKVersion())
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		die("write temp go.mod: %v", err)
	}
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		die("go mod tidy in the generated Go SDK failed (a cold module cache needs GOPROXY): %v\n%s", err, out.String())
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		die("read tidied go.mod: %v", err)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		die("read tidied go.sum: %v", err)
	}
	header := "// Code generated by " + tool + " (go mod tidy); DO NOT EDIT.\n"
	return append([]byte(header), mod...), sum
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func writeTree(dir string, files map[string][]byte) error {
	for _, name := range sortedNames(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
		// WriteFile keeps the mode of a file that already exists.
		if err := os.Chmod(p, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// existing lists the files under dir (slash paths), skipping the kept build folders.
func existing(dir string) (map[string]bool, error) {
	found := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && keep[rel] {
				return filepath.SkipDir
			}
			if d.Name() == ".git" {
				return fmt.Errorf("%s holds a .git folder: not an SDK out folder", dir)
			}
			return nil
		}
		found[rel] = true
		return nil
	})
	return found, err
}

// guard refuses to clean a non-empty folder that this tool did not write.
func guard(dir string, have map[string]bool) {
	if len(have) == 0 {
		return
	}
	for name := range have {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err == nil && bytes.Contains(b, []byte(tool)) {
			return
		}
	}
	die("%s is not empty and holds no file written by %s: refusing to replace it", dir, tool)
}

// check names every difference between dir and files; it returns their number.
func check(dir string, files map[string][]byte, have map[string]bool) int {
	stale := 0
	for _, name := range sortedNames(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if !have[name] {
			fmt.Printf("missing: %s\n", p)
			stale++
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(b, files[name]) {
			fmt.Printf("stale: %s\n", p)
			stale++
		}
	}
	extra := []string{}
	for name := range have {
		if _, ok := files[name]; !ok {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		fmt.Printf("extra: %s\n", filepath.Join(dir, filepath.FromSlash(name)))
		stale++
	}
	return stale
}

// replace removes the files of dir that are not generated any more, then writes files.
func replace(dir string, files map[string][]byte, have map[string]bool) error {
	names := make([]string, 0, len(have))
	for name := range have {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	// Drop folders left empty (deepest first), never dir itself or the kept folders.
	var dirs []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && rel != "." {
			if keep[filepath.ToSlash(rel)] {
				return filepath.SkipDir
			}
			dirs = append(dirs, p)
		}
		return nil
	})
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		_ = os.Remove(d) // fails, harmlessly, when not empty
	}
	return writeTree(dir, files)
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	nodejsOut := flag.String("nodejs", "", "out folder of the TypeScript SDK")
	goOut := flag.String("go", "", "out folder of the Go SDK (a module of its own)")
	checkOnly := flag.Bool("check", false, "write nothing; exit 1 naming stale files when the out folders differ")
	flag.Parse()
	if *schemaPath == "" || (*nodejsOut == "" && *goOut == "") || flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "usage: %s --schema SCHEMA.json [--nodejs DIR] [--go DIR] [--check]\n", tool)
		os.Exit(2)
	}
	raw, err := os.ReadFile(*schemaPath)
	if err != nil {
		die("%v", err)
	}

	type target struct {
		dir   string
		files map[string][]byte
	}
	var targets []target
	if *nodejsOut != "" {
		targets = append(targets, target{*nodejsOut, generateNodejs(raw)})
	}
	if *goOut != "" {
		targets = append(targets, target{*goOut, generateGo(raw)})
	}

	stale := 0
	for _, t := range targets {
		have, err := existing(t.dir)
		if err != nil {
			die("%v", err)
		}
		if *checkOnly {
			stale += check(t.dir, t.files, have)
			continue
		}
		guard(t.dir, have)
		if err := replace(t.dir, t.files, have); err != nil {
			die("write %s: %v", t.dir, err)
		}
		fmt.Fprintf(os.Stderr, "%s: wrote %d files into %s\n", tool, len(t.files), t.dir)
	}
	if stale > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d generated files are stale; regenerate with the same command without --check\n", tool, stale)
		os.Exit(1)
	}
	if *checkOnly {
		fmt.Fprintf(os.Stderr, "%s: up to date\n", tool)
	}
}
