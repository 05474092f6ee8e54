import AD3DModels
import AD3DSupport

extension ScanEncoder {
    /// Throws for a saved encoder setting a scan cannot be encoded with: encoder sizes out of
    /// range, fewer encoded points than a patch holds, a non-positive or enormous frame scale.
    static func validate(encoder: PointMAEConfiguration, frame: ScanFrame, encodedPoints: Int) throws {
        try encoder.validate()
        let fields = ConfigurationFields()
        let encoderFields = fields.nested("encoder")
        try encoderFields.count(encoder.dimension, "dimension", in: 1...4096)
        try encoderFields.count(encoder.depth, "depth", in: 1...64)
        try encoderFields.count(encoder.groupCount, "groupCount", in: 1...65_536)
        try encoderFields.count(encoder.groupSize, "groupSize", in: 1...4096)
        try fields.count(encodedPoints, "encodedPoints", in: encoder.groupSize...(1 << 24))
        try fields.nested("frame").positive(frame.scale, "scale", atMost: 1e13)
    }
}
