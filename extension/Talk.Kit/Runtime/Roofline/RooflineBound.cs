namespace Talk.Kit.Runtime.Roofline;

/// <summary>Which roof caps a node: the sloped one (bandwidth × intensity) or the flat one (peak compute).</summary>
public enum RooflineBound
{
    /// <summary>Intensity below the ridge point: at best bandwidth × intensity.</summary>
    MemoryBound,

    /// <summary>Intensity at or above the ridge point: at best the peak compute rate.</summary>
    ComputeBound,
}
