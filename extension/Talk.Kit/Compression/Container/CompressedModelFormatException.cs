namespace Talk.Kit.Compression.Container;

/// <summary>
/// A Deep Compression file (<see cref="ContainerFormat"/>) that cannot be decoded: not such a file, a newer format
/// version, truncated, failing its checksum, or with a corrupt stream. The message says which, where, and what to do.
/// </summary>
/// <remarks>An <see cref="IOException"/> like <c>ModelFormatException</c>: one <c>catch (IOException)</c> covers a missing and an unusable file.</remarks>
public sealed class CompressedModelFormatException : IOException
{
    public CompressedModelFormatException(string message) : base(message) { }

    public CompressedModelFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
