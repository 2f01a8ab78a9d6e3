using System.Text;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// projected volumes (upstream pkg/volume/projected): ConfigMaps, Secrets, downwardAPI items and service-account
/// tokens merged into one directory, as the kube-api-access-xxxxx volume the ServiceAccount admission adds (token,
/// ca.crt, namespace).
/// </summary>
internal sealed class ProjectedVolumePlugin : IVolumePlugin
{
    // The token is the account's credential: only its owner reads it, unless an fsGroup then grants group read.
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly KeySourceFiles _keys;
    private readonly ServiceAccountTokens _tokens;
    private readonly ContentVolume _content;
    private readonly IReadOnlyDictionary<string, ResourceQuantity> _nodeAllocatable;

    public ProjectedVolumePlugin(KeySourceFiles keys, ServiceAccountTokens tokens, ContentVolume content, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        _keys = keys;
        _tokens = tokens;
        _content = content;
        _nodeAllocatable = nodeAllocatable;
    }

    public string? DirectoryName => "kubernetes.io~projected";

    public bool Refreshes => true;

    public bool Handles(V1Volume volume) => volume.Projected is not null;

    public async Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var source = context.Volume.Projected;
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var projection in source.Sources ?? [])
        {
            var files = await FilesOfAsync(context, projection, source.DefaultMode, cancellationToken);
            foreach (var (path, file) in files)
            {
                payload[path] = file;
            }
        }

        return _content.Write(context, payload, inMemory: true);
    }

    private async Task<Dictionary<string, FileProjection>> FilesOfAsync(VolumeSetupContext context, V1VolumeProjection projection, int? defaultMode, CancellationToken cancellationToken)
    {
        if (projection.ConfigMap is { } configMap)
        {
            return await _keys.ReadAsync(context, KeySource.Of(configMap), defaultMode, cancellationToken);
        }

        if (projection.Secret is { } secret)
        {
            return await _keys.ReadAsync(context, KeySource.Of(secret), defaultMode, cancellationToken);
        }

        if (projection.DownwardAPI is { } downwardSource)
        {
            return DownwardApiPayload.Build(context, downwardSource.Items, defaultMode, _nodeAllocatable);
        }

        if (projection.ServiceAccountToken is { } tokenSource)
        {
            return new Dictionary<string, FileProjection>(StringComparer.Ordinal)
            {
                [tokenSource.Path] = new FileProjection(Encoding.UTF8.GetBytes(await TokenAsync(context, tokenSource, cancellationToken)), TokenMode(context.Pod, defaultMode)),
            };
        }

        // clusterTrustBundle and podCertificate projections are not served.
        return [];
    }

    private async Task<string> TokenAsync(VolumeSetupContext context, V1ServiceAccountTokenProjection source, CancellationToken cancellationToken)
    {
        try
        {
            return await _tokens.GetAsync(context.Pod, source, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not VolumeSetupException)
        {
            throw context.Failure($"failed to fetch token: {e.Message}");
        }
    }

    private static UnixFileMode TokenMode(V1Pod pod, int? defaultMode) =>
        ContentVolume.HasFsOwner(pod) ? OwnerOnly : (UnixFileMode)(defaultMode ?? KeyToPathPayload.DefaultMode);
}
