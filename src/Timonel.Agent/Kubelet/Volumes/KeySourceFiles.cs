using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>Reads a <see cref="KeySource"/>'s object and answers its files; a missing object is no files when optional, else the volume fails.</summary>
internal sealed class KeySourceFiles
{
    private readonly IPodObjects _objects;

    public KeySourceFiles(IPodObjects objects) => _objects = objects;

    public async Task<Dictionary<string, FileProjection>> ReadAsync(VolumeSetupContext context, KeySource source, int? defaultMode, CancellationToken cancellationToken)
    {
        var contents = source.Secret
            ? ContentsOf(await _objects.GetSecretAsync(context.Namespace, source.Name, cancellationToken))
            : ContentsOf(await _objects.GetConfigMapAsync(context.Namespace, source.Name, cancellationToken));
        if (contents is null && !source.Optional)
        {
            throw context.Failure(source.NotFound);
        }

        return KeyToPathPayload.Build(context, contents ?? [], source.Items, defaultMode, source.Optional, source.MissingKeyMessage);
    }

    private static Dictionary<string, byte[]>? ContentsOf(V1ConfigMap? configMap) =>
        configMap is null ? null : Merge(configMap.Data, configMap.BinaryData);

    // stringData too, should a client have left it: data wins, as the API server merges them.
    private static Dictionary<string, byte[]>? ContentsOf(V1Secret? secret) =>
        secret is null ? null : Merge(secret.StringData, secret.Data);

    private static Dictionary<string, byte[]> Merge(IDictionary<string, string>? text, IDictionary<string, byte[]>? binary)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in text ?? new Dictionary<string, string>())
        {
            contents[key] = System.Text.Encoding.UTF8.GetBytes(value ?? "");
        }

        foreach (var (key, value) in binary ?? new Dictionary<string, byte[]>())
        {
            contents[key] = value ?? [];
        }

        return contents;
    }
}
