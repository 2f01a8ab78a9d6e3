using Timonel.Kustomize.Loading;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// Runs one kustomization's built-in transformers in kustomize's order (KustTarget.configureBuiltinTransformers):
/// patchesStrategicMerge, patches, namespace, prefix, suffix, labels, annotations, patchesJson6902, replicas,
/// images, replacements.
/// </summary>
internal static class TransformerRunner
{
    public static void Run(KustomizationFile k, FileSource files, ResourceList ra, TextWriter warnings)
    {
        _ = warnings;
        foreach (var entry in k.GetStrings("patchesStrategicMerge"))
        {
            PatchTransformer.ApplyStrategicFile(ra, entry, files);
        }
        foreach (var entry in k.GetList("patches").OfType<YMap>())
        {
            PatchTransformer.ApplyPatchEntry(ra, entry, files);
        }
        if (k.GetString("namespace") is { Length: > 0 } ns)
        {
            NamespaceTransformer.Apply(ra, ns);
        }
        PrefixSuffixTransformer.Apply(ra, k.GetString("namePrefix") ?? "", k.GetString("nameSuffix") ?? "");
        foreach (var label in k.GetList("labels").OfType<YMap>())
        {
            var pairs = KustomizationFile.StringMap(label["pairs"]);
            var specs = new List<FieldSpec>();
            specs.AddRange(label.GetSeq("fields")?.Items.OfType<YMap>().Select(ParseFieldSpec) ?? []);
            if (label["includeSelectors"] is YScalar { Value: "true" })
            {
                specs.AddRange(DefaultFieldSpecs.CommonLabels);
            }
            else
            {
                if (label["includeTemplates"] is YScalar { Value: "true" })
                {
                    specs.AddRange(DefaultFieldSpecs.MetadataLabels);
                }
                specs.Add(new FieldSpec("metadata/labels", true));
            }
            MapFieldTransformer.Apply(ra, pairs, specs);
        }
        MapFieldTransformer.Apply(ra, k.GetStringMap("commonLabels"), DefaultFieldSpecs.CommonLabels);
        MapFieldTransformer.Apply(ra, k.GetStringMap("commonAnnotations"), DefaultFieldSpecs.CommonAnnotations);
        foreach (var entry in k.GetList("patchesJson6902").OfType<YMap>())
        {
            PatchTransformer.ApplyLegacyJson(ra, entry, files);
        }
        if (k.Root["replicas"] is YSeq replicas)
        {
            ReplicaTransformer.Apply(ra, replicas);
        }
        if (k.Root["images"] is YSeq images)
        {
            ImageTransformer.Apply(ra, images);
        }
        if (k.Root["imageTags"] is YSeq imageTags)
        {
            ImageTransformer.Apply(ra, imageTags);
        }
        foreach (var entry in k.GetList("replacements"))
        {
            ReplacementTransformer.Apply(ra, entry, files);
        }
    }

    private static FieldSpec ParseFieldSpec(YMap m) => new(
        m.GetString("path") ?? "",
        m["create"] is YScalar { Value: "true" },
        m.GetString("kind") ?? "",
        m.GetString("group") ?? "",
        m.GetString("version") ?? "");
}
