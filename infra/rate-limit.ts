import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_RESPONSES } from '../src/api/gateway-responses.js';
import {
  type PrincipalLimits,
  principalThrottledHeaders,
  RATE_WINDOW_SECONDS,
  windowLimitOf,
} from '../src/api/rate-limit.js';
import { ROUTES } from '../src/api/routes.js';

export interface PrincipalRateLimitProps {
  readonly stage: Stage;
  /** The stage's name as written (the Stage construct's is a token): the first segment of every path. */
  readonly stageName: string;
  readonly limits: PrincipalLimits;
  /** The stage's CORS origins, `app` already resolved (the 429 carries what WAF can send statically). */
  readonly corsOrigins: readonly string[];
}

/** The key of the 429's body among the web ACL's custom response bodies. */
export const THROTTLED_BODY_KEY = 'principal-throttled';

/**
 * Each URI path of a public route (the OpenAPI document, the docs page and its assets) as WAF sees it,
 * stage first: those are never counted, as no authorizer guards them.
 */
function publicPaths(stageName: string): CfnWebACL.StatementProperty[] {
  return ROUTES.filter((route) => route.public).map((route) => {
    const [fixed = '', ...templated] = route.resource.split('{');
    return {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: templated.length > 0 ? 'STARTS_WITH' : 'EXACTLY',
        searchString: `/${stageName}${fixed}`,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
  });
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * Each principal's request budget on AWS: a WAF web ACL on the stage whose rate-based rule counts the
 * requests of each `Authorization` value over WAF's shortest window, and answers the excess with the same
 * 429 the local gateway sends (GATEWAY_RESPONSES.PRINCIPAL_THROTTLED). WAF runs before API Gateway, so the
 * authorizer's cache cannot hide a request from it, and it counts across every Lambda container.
 * docs/operate.md ("Request limits per principal") weighs it against usage plans and a DynamoDB counter.
 */
export class PrincipalRateLimit extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: PrincipalRateLimitProps) {
    super(scope, id);
    const { stageName } = props;
    const publicRoutes = publicPaths(stageName);
    const response = GATEWAY_RESPONSES.PRINCIPAL_THROTTLED;
    const headers = principalThrottledHeaders(props.corsOrigins, RATE_WINDOW_SECONDS);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: `Task service ${stageName}, the request rate of each principal`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`TaskService-${stageName}-WebAcl`),
      customResponseBodies: {
        [THROTTLED_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(response.body) },
      },
      rules: [
        {
          name: 'PerPrincipalRate',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: response.statusCode,
                customResponseBodyKey: THROTTLED_BODY_KEY,
                responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: windowLimitOf(props.limits),
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              aggregateKeyType: 'CUSTOM_KEYS',
              // The authorizer reads `Bearer` in any case and spacing: those spellings of one token share a
              // count. A request without the header is not counted (API Gateway answers it 401 itself).
              customKeys: [
                {
                  header: {
                    name: 'Authorization',
                    textTransformations: [
                      { priority: 0, type: 'LOWERCASE' },
                      { priority: 1, type: 'COMPRESS_WHITE_SPACE' },
                    ],
                  },
                },
              ],
              scopeDownStatement: {
                notStatement: {
                  statement:
                    publicRoutes.length === 1
                      ? (publicRoutes[0] as CfnWebACL.StatementProperty)
                      : { orStatement: { statements: publicRoutes } },
                },
              },
            },
          },
          visibilityConfig: visibility(`TaskService-${stageName}-PerPrincipalRate`),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
