using Timonel.Agent.Containerd.Images;

namespace Timonel.Testing.Cri;

/// <summary>containerd's image names over a <see cref="FakeContainerRuntime"/>: tags and removals reach its images at once, and are recorded.</summary>
public sealed class FakeImageNames(FakeContainerRuntime runtime) : IImageNames
{
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls => _calls;

    public Task TagAsync(string source, string target, CancellationToken cancellationToken)
    {
        _calls.Add($"tag {source} {target}");
        runtime.TagImage(source, target);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        _calls.Add($"rm {name}");
        runtime.RemoveImageName(name);
        return Task.CompletedTask;
    }
}
