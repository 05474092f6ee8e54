// ad3d's library, one import for all of it: the layers, bottom to top.
@_exported import AD3DSupport
@_exported import AD3DTensor
@_exported import AD3DPointCloud
@_exported import AD3DNN
@_exported import AD3DModels
@_exported import AD3DSynthesis
@_exported import AD3DPretraining
@_exported import AD3DEvaluation
@_exported import AD3DDetection
@_exported import AD3DReport
