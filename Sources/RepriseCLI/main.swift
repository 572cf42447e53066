import RepriseGateway
import RepriseTesting
print("x")
