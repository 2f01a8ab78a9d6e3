namespace Timonel.Controllers.Volume;

/// <summary>
/// Makes and removes a volume's directory on the node that holds it, when that node is another machine than the
/// controller manager's. Both wait until the node is done and throw with the reason when it failed.
/// </summary>
public interface INodeDirectories
{
    /// <summary>Makes <paramref name="path"/> on <paramref name="node"/>, open to every user.</summary>
    Task CreateAsync(string node, string path, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="path"/> and its contents on <paramref name="node"/>.</summary>
    Task DeleteAsync(string node, string path, CancellationToken cancellationToken);
}
