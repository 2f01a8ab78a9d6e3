namespace Timonel.Agent.Containerd.Images;

/// <summary>A tarball containerd could not import; the message names the file and carries ctr's own error.</summary>
public sealed class ImageImportException(string message) : Exception(message);
