using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Testing.Cri;

/// <summary>A container in <see cref="FakeContainerRuntime"/>: its config, state and, once exited, how.</summary>
public sealed class FakeContainer
{
    public FakeContainer(string id, string sandboxId, ContainerConfig config, string imageRef, long createdAt)
    {
        Id = id;
        SandboxId = sandboxId;
        Config = config;
        ImageRef = imageRef;
        CreatedAt = createdAt;
    }

    public string Id { get; }

    public string SandboxId { get; }

    public ContainerConfig Config { get; }

    public string ImageRef { get; }

    public long CreatedAt { get; }

    public ContainerState State { get; set; } = ContainerState.ContainerCreated;

    public long StartedAt { get; set; }

    public long FinishedAt { get; set; }

    public int ExitCode { get; set; }

    /// <summary>The runtime's reason for the exit, e.g. "OOMKilled" or "Error".</summary>
    public string Reason { get; set; } = "";

    public string Message { get; set; } = "";

    /// <summary>The container's name as the kubelet labelled it (its metadata name otherwise).</summary>
    public string Name => Config.Labels.TryGetValue(KubeletLabels.ContainerName, out var name) ? name : Config.Metadata?.Name ?? "";

    public string PodUid => Config.Labels.TryGetValue(KubeletLabels.PodUid, out var uid) ? uid : "";

    public Container ToListItem()
    {
        var item = new Container { Id = Id, PodSandboxId = SandboxId, Metadata = Config.Metadata, Image = Config.Image, ImageRef = ImageRef, State = State, CreatedAt = CreatedAt };
        item.Labels.Add(Config.Labels);
        item.Annotations.Add(Config.Annotations);
        return item;
    }

    public ContainerStatus ToStatus()
    {
        var status = new ContainerStatus
        {
            Id = Id,
            Metadata = Config.Metadata,
            State = State,
            CreatedAt = CreatedAt,
            StartedAt = StartedAt,
            FinishedAt = FinishedAt,
            ExitCode = ExitCode,
            Image = Config.Image,
            ImageRef = ImageRef,
            Reason = Reason,
            Message = Message,
            LogPath = Config.LogPath,
        };
        status.Labels.Add(Config.Labels);
        status.Annotations.Add(Config.Annotations);
        status.Mounts.Add(Config.Mounts);
        return status;
    }
}
