namespace Timonel.Agent.Containerd.Images;

/// <summary>Names of the runtime's images beyond what the CRI offers: a second name for an image, a name removed.</summary>
public interface IImageNames
{
    Task TagAsync(string source, string target, CancellationToken cancellationToken);

    Task RemoveAsync(string name, CancellationToken cancellationToken);
}
